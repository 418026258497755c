import StreamtapeCore

/// One unit of work queued for the writer thread, in call order.
enum WriteOp: Sendable {
    case begin(id: Int64, startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String])
    case response(id: Int64, CapturedResponse)
    case chunk(id: Int64, Chunk)
    case end(id: Int64, ExchangeEnd)
    case insert(id: Int64, Exchange)
    case derived(id: Int64, DerivedInfo)
    case tags(id: Int64, [String])
    case note(id: Int64, String?)
    /// Raw SQL run inside the batch (tests use it to cap the file size).
    case execute(String)
}
