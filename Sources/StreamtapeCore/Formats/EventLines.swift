/// Events as JSON Lines: `{"index","t","offset","length","event","data","id"}` per dispatched event.
public enum EventLines {
    /// The time (ns from the exchange start) an event completed: the offset of the chunk that carried its last byte.
    public static func timeNs(of event: SSEEvent, chunks: [Chunk]) -> UInt64 {
        chunks.indices.contains(event.lastChunk) ? chunks[event.lastChunk].offsetNs : 0
    }

    /// One JSON line for an event (no trailing newline).
    public static func line(_ e: SSEEvent, timeNs: UInt64) -> String {
        var j = JSONText()
        j.open()
        j.int("index", e.index)
        j.seconds("t", ns: timeNs)
        j.int("offset", e.start)
        j.int("length", e.length)
        j.string("event", e.type)
        j.string("data", e.data)
        j.string("id", e.id)
        j.close()
        return j.text
    }

    /// All events of a chunk list, one line each, newline-terminated.
    public static func encode(_ events: [SSEEvent], chunks: [Chunk]) -> String {
        var out = ""
        for e in events { out += line(e, timeNs: timeNs(of: e, chunks: chunks)) + "\n" }
        return out
    }
}
