/// One event a stream dispatched, with where it sits in the bytes and which chunks carried it.
public struct SSEEvent: Hashable, Sendable {
    /// Position among the dispatched events, from 0.
    public var index: Int
    /// The event type: the `event:` field, `message` when none was given.
    public var type: String
    /// The data buffer, lines joined with LF (WHATWG rules).
    public var data: String
    /// The last-event-ID in force when the event was dispatched (`""` when none was set).
    public var id: String
    /// Byte offset of the event's first line in the stream (BOM included in offsets).
    public var start: Int
    /// Byte offset just past the blank line that dispatched it.
    public var end: Int
    /// Chunk that holds the first byte.
    public var firstChunk: Int
    /// Chunk that holds the last byte (the one whose arrival dispatched the event).
    public var lastChunk: Int

    /// Creates an event.
    public init(index: Int, type: String, data: String, id: String, start: Int, end: Int, firstChunk: Int, lastChunk: Int) {
        self.index = index; self.type = type; self.data = data; self.id = id
        self.start = start; self.end = end; self.firstChunk = firstChunk; self.lastChunk = lastChunk
    }

    /// Length in bytes of the event's span.
    public var length: Int { end - start }
}

/// How a stream is framed.
public enum StreamFraming: String, Sendable, CaseIterable {
    /// Server-Sent Events (WHATWG).
    case sse
    /// Newline-delimited JSON: each non-empty line is one event.
    case ndjson
}

/// Facts the parser notices on the way that are not events: the diagnostics read them.
public struct SSEStreamFacts: Hashable, Sendable {
    /// A line whose field name is not event, data, id or retry.
    public struct UnknownField: Hashable, Sendable {
        /// Byte offset of the line.
        public var offset: Int
        /// The field name as decoded.
        public var name: String
        /// Index of the next event to be dispatched when the line was seen.
        public var eventIndex: Int
    }
    /// LF-only line endings seen.
    public var lf = 0
    /// CRLF line endings seen.
    public var crlf = 0
    /// CR-only line endings seen.
    public var cr = 0
    /// Offset of the first line ending of a kind different from the first kind seen.
    public var firstMixedEndingOffset: Int?
    /// Comment lines (`:` first).
    public var comments = 0
    /// Unknown field lines, in order.
    public var unknownFields: [UnknownField] = []
    /// The last valid `retry` value.
    public var retry: Int?
    /// Whether a BOM was stripped.
    public var bom = false
    /// Total bytes fed.
    public var bytes = 0

    /// Start offset of an event the stream ended inside (data pending, no blank line), if any.
    public var unterminatedStart: Int?
    /// The data that was pending there.
    public var unterminatedData: String?

    /// Creates empty facts.
    public init() {}
}
