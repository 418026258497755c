import StreamtapeCore

/// What the executable injects from the parts of Core the inspector does not own: dialect name,
/// framing, text assembly and diagnostics. Every member has a do-nothing default.
public struct InspectPlugins: Sendable {
    /// The dialect's display name (e.g. `anthropic`).
    public var dialect: String
    /// How the body is framed.
    public var framing: StreamFraming
    /// Makes a fresh assembler for the dialect.
    public var makeAssembler: @Sendable () -> any TextAssembling
    /// Computes the findings of a whole exchange (run off the UI thread, once indexing is done).
    /// Nil when the exchange is too large to load, see `InspectDocument.analysisByteLimit`.
    public var analyze: (@Sendable (Exchange) -> [InspectFinding])?

    /// Creates the plugins.
    public init(dialect: String = "generic", framing: StreamFraming = .sse,
                makeAssembler: @escaping @Sendable () -> any TextAssembling = { NoAssembler() },
                analyze: (@Sendable (Exchange) -> [InspectFinding])? = nil) {
        self.dialect = dialect; self.framing = framing; self.makeAssembler = makeAssembler; self.analyze = analyze
    }
}
