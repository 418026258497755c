import StreamtapeCore

/// One unit of work queued for the writer thread, in call order.
enum WriteOp: Sendable {
    /// `CaptureSink.begin`, with the id already allocated.
    case begin(id: Int64, uid: String, startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String])
    /// `CaptureSink.response`.
    case response(id: Int64, CapturedResponse)
    /// `CaptureSink.chunk`.
    case chunk(id: Int64, Chunk)
    /// `CaptureSink.end`.
    case end(id: Int64, ExchangeEnd)
    /// A whole exchange (import, copy) with its identity; `derivedByCaller` when its derived facts follow as an op of their own.
    case insert(id: Int64, Exchange, ExchangeIdentity, derivedByCaller: Bool)
    /// New derived facts.
    case derived(id: Int64, DerivedInfo)
    /// More tags.
    case tags(id: Int64, [String])
    /// A new note (nil clears).
    case note(id: Int64, String?)
    /// Raw SQL run inside the batch (tests use it to cap the file size).
    case execute(String)
}
