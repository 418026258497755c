import StreamtapeCore

/// Compact per-event and per-chunk arrays for a whole stream: about 26 bytes an event and 16 a
/// chunk, so a million events stay in tens of megabytes while their data stays in the source.
struct EventIndex: Sendable {
    /// Byte offset of each event's first line.
    var starts: [Int] = []
    /// Byte offset just past each event.
    var ends: [Int] = []
    /// Chunk holding each event's first byte.
    var firstChunks: [Int32] = []
    /// Chunk holding each event's last byte.
    var lastChunks: [Int32] = []
    /// Each event's type, as an index into `typeNames`.
    var types: [UInt16] = []
    /// Interned event type names.
    var typeNames: [String] = []
    private var typeIDs: [String: UInt16] = [:]

    /// Byte offset where each chunk starts.
    var chunkStarts: [Int] = []
    /// Each chunk's time (ns from the exchange start).
    var chunkTimes: [UInt64] = []
    /// Parser state before chunk `p * pageSize`, for re-parsing page `p` on demand; nil where the
    /// parser held a long unfinished event (then an earlier checkpoint serves).
    var checkpoints: [SSEParser?] = []
    /// Total bytes indexed.
    var bytes = 0

    /// Number of events indexed.
    var count: Int { starts.count }

    /// Appends an event's compact record.
    mutating func append(_ e: SSEEvent) {
        starts.append(e.start); ends.append(e.end)
        firstChunks.append(Int32(truncatingIfNeeded: e.firstChunk)); lastChunks.append(Int32(truncatingIfNeeded: e.lastChunk))
        if let id = typeIDs[e.type] {
            types.append(id)
        } else {
            let id = UInt16(truncatingIfNeeded: typeNames.count)
            if typeNames.count < Int(UInt16.max) { typeNames.append(e.type); typeIDs[e.type] = id; types.append(id) }
            else { types.append(UInt16.max) }
        }
    }

    /// The type name of event `i`.
    func typeName(_ i: Int) -> String {
        let t = Int(types[i])
        return t < typeNames.count ? typeNames[t] : "?"
    }

    /// The time of event `i`: the arrival of the chunk that completed it.
    func time(_ i: Int) -> UInt64 { chunkTimes[Int(lastChunks[i])] }

    /// The last event whose time is at or before `ns`, nil when none.
    func lastEvent(atOrBefore ns: UInt64) -> Int? {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if time(mid) <= ns { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }
}
