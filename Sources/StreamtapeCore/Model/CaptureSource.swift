/// Read access to one stored exchange, page by page, for viewers that must not load a whole stream
/// (an exchange can hold a million chunks). The archive implements it; `MemoryCaptureSource` wraps an
/// `Exchange` already in memory (a tape file).
public protocol CaptureSource: Sendable {
    /// The exchange without its chunks: request, response head, end, tags.
    func head() throws -> Exchange
    /// How many chunks the exchange has now (it may still be growing while recording).
    func chunkCount() throws -> Int
    /// The chunks with sequence numbers in `range`, in order (clamped to what exists).
    func chunks(_ range: Range<Int>) throws -> [Chunk]
}

/// A `CaptureSource` over an exchange held in memory.
public struct MemoryCaptureSource: CaptureSource {
    /// The exchange served.
    public let exchange: Exchange
    /// Wraps an exchange.
    public init(_ exchange: Exchange) { self.exchange = exchange }
    /// The exchange with its chunks left out.
    public func head() throws -> Exchange { var e = exchange; e.chunks = []; return e }
    /// The number of chunks.
    public func chunkCount() throws -> Int { exchange.chunks.count }
    /// The chunks in `range`, clamped.
    public func chunks(_ range: Range<Int>) throws -> [Chunk] {
        let r = range.clamped(to: 0..<exchange.chunks.count)
        return Array(exchange.chunks[r])
    }
}
