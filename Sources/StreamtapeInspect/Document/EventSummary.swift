/// What the timeline needs of one event, from the compact index (no data).
public struct EventSummary: Hashable, Sendable {
    /// Event index.
    public var index: Int
    /// Event type.
    public var type: String
    /// Time of its last byte (ns from the exchange start).
    public var timeNs: UInt64
    /// Gap since the previous event (ns); the time to the first event for event 0.
    public var gapNs: UInt64
    /// Span in bytes.
    public var size: Int
    /// Byte offset of its first line.
    public var start: Int
    /// First and last chunk.
    public var firstChunk: Int, lastChunk: Int
}

/// An event's raw bytes and where the network cut them into chunks.
public struct RawSpan: Hashable, Sendable {
    /// A chunk boundary inside the span.
    public struct Cut: Hashable, Sendable {
        /// Offset in `bytes` where the new chunk starts.
        public var at: Int
        /// The chunk that starts there.
        public var chunk: Int
        /// Its arrival time (ns).
        public var timeNs: UInt64
    }
    /// The bytes of the event (possibly capped).
    public var bytes: [UInt8]
    /// Chunk boundaries strictly inside the span.
    public var cuts: [Cut]
    /// The chunk the span starts in, and its arrival time.
    public var firstChunk: Int, firstTimeNs: UInt64
    /// Whether `bytes` was capped.
    public var capped: Bool
}
