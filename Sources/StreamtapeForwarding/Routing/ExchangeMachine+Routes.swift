import StreamtapeCore

extension ExchangeMachine {
    /// Creates a machine for one recorded exchange whose upstream comes from the recorder's route table.
    public init(routes: UpstreamRoutes, redaction: Redaction, maxRequestBody: Int = 64 << 20) {
        self.init(resolve: { routes.resolve($0) }, redaction: redaction, maxRequestBody: maxRequestBody)
    }
}
