import StreamtapeCore

/// Facts derived from an exchange's chunks and cached in the archive (the chunks stay the truth).
public struct DerivedInfo: Hashable, Sendable {
    /// The detected dialect's name, "" when unknown.
    public var dialect: String
    /// The number of events the parser dispatches.
    public var events: Int
    /// The number of error-level findings.
    public var errors: Int
    /// The number of warning-level findings.
    public var warnings: Int
    /// The timing, usage and ending measures.
    public var measures: Measures
    /// The codes of the findings, each once, sorted (what `list --code` and `stats` count).
    public var codes: [String]

    /// Creates derived facts.
    public init(dialect: String = "", events: Int = 0, errors: Int = 0, warnings: Int = 0, measures: Measures = Measures(),
                codes: [String] = []) {
        self.dialect = dialect; self.events = events; self.errors = errors; self.warnings = warnings; self.measures = measures
        self.codes = codes
    }

    /// The default derivation: counts events with `SSEParser` (the framing `ResponseStream` reads from
    /// the content type, SSE without one), leaves the dialect empty and the findings at 0.
    @Sendable public static func countingEvents(_ exchange: Exchange) -> DerivedInfo {
        let framing = ResponseStream.framing(contentType: exchange.response?.headers.value(for: "content-type")) ?? .sse
        var parser = SSEParser(framing: framing)
        var events = 0
        for chunk in exchange.chunks { events += parser.feed(chunk.bytes).count }
        events += parser.finish().count
        return DerivedInfo(dialect: "", events: events)
    }
}

/// A list row: the core summary plus the cached derived facts and the note.
public struct ArchivedSummary: Hashable, Sendable {
    /// The summary.
    public var summary: ExchangeSummary
    /// The derived facts; nil until the exchange ended and was derived (unknown, not zero).
    public var derived: DerivedInfo?
    /// The free-text note, if any.
    public var note: String?
    /// The name of the recorder that wrote the exchange ("" for archives from before recorder names).
    public var recorder: String

    /// Creates a row.
    public init(summary: ExchangeSummary, derived: DerivedInfo?, note: String? = nil, recorder: String = "") {
        self.summary = summary; self.derived = derived; self.note = note; self.recorder = recorder
    }
}

/// A chunk with the offset of its first byte in the response body.
public struct PositionedChunk: Hashable, Sendable {
    /// The chunk.
    public var chunk: Chunk
    /// Offset of the chunk's first byte in the body.
    public var startByte: Int

    /// Creates a positioned chunk.
    public init(chunk: Chunk, startByte: Int) { self.chunk = chunk; self.startByte = startByte }

    /// The body byte range the chunk covers.
    public var byteRange: Range<Int> { startByte..<(startByte + chunk.bytes.count) }
}
