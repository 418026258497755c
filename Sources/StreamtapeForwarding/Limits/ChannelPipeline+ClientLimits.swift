import NIOCore
import NIOHTTP1

extension ChannelPipeline.SynchronousOperations {
    /// NIO's HTTP/1.1 server handlers (with pipelining assistance) under `limits`: the decoder enforces
    /// the head limits, and a `ClientLimitHandler` right after it answers every limit and parse error
    /// (in place of NIO's error handler, which answers everything 400).
    public func configureHTTPServerPipeline(limits: ClientLimits, connections: ConnectionCount) throws {
        try configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false,
                                        withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits.decoderLimits)
        let decoder = try context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
        try addHandler(ClientLimitHandler(limits: limits, connections: connections), position: .after(decoder.handler))
    }
}
