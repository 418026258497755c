import StreamtapeCore

/// How an opened exchange is read: the forced dialect, or the one its head and first chunks show.
extension InspectDocument {
    /// Chunks read for detection before the first screen.
    static let detectionChunks = 64

    /// The dialect and framing of `source`: `forced` wins; otherwise the framing comes from the
    /// content type (or the first bytes) and the dialect from the target, content type and first events.
    static func dialect(of source: any CaptureSource, head: Exchange, forced: Dialect?) throws -> (Dialect, StreamFraming) {
        let first = try source.chunks(0..<detectionChunks).flatMap(\.bytes)
        let contentType = head.response?.headers.value(for: "content-type")?.lowercased() ?? ""
        let framing = forced.map(\.framing)
            ?? ResponseStream.framing(contentType: contentType) ?? Dialect.detect(body: first).framing
        let events = SSEParser.parse(chunks: [first], framing: framing).events
        let dialect = forced ?? Dialect.detect(target: head.request.target, contentType: contentType, firstEvents: Array(events.prefix(16)))
        return (dialect, framing)
    }
}
