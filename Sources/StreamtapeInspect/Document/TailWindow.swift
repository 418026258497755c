import StreamtapeCore

/// The last events of a stream, parsed from a resynchronisation point near its end, so that `G`
/// answers at once while the index is still being built. Event numbers are not known yet: the
/// inspector addresses these events from the end (-1 is the last) and byte offsets count from the
/// resync point.
struct TailWindow: Sendable {
    /// The events, in order; chunk numbers absolute, offsets relative to the resync point.
    var events: [SSEEvent]
    /// The tail chunks.
    var chunks: [Chunk]
    /// Offset of each tail chunk relative to the resync point (negative before it).
    var chunkStarts: [Int]

    /// Reads the last chunks of `source` and parses from the first event boundary among them,
    /// widening the window until it holds a few events (or reaches the start, or 4 MB).
    static func load(_ source: any CaptureSource, framing: StreamFraming, total: Int, ended: Bool) throws -> TailWindow? {
        // Chunks are numbered by position below, whatever their `seq` says.
        var want = 256
        while true {
            let from = max(0, total - want)
            let chunks = try source.chunks(from..<total).enumerated().map { k, c in
                Chunk(seq: from + k, offsetNs: c.offsetNs, bytes: c.bytes)
            }
            let bytes = chunks.reduce(0) { $0 + $1.bytes.count }
            if let window = parse(chunks, framing: framing, fromStart: from == 0, ended: ended),
               window.events.count >= 8 || from == 0 || bytes >= 4 << 20 {
                return window
            }
            if from == 0 || bytes >= 4 << 20 { return nil }
            want *= 4
        }
    }

    /// Parses the tail chunks from their first event boundary (or from the start).
    static func parse(_ chunks: [Chunk], framing: StreamFraming, fromStart: Bool, ended: Bool) -> TailWindow? {
        var flat: [UInt8] = []
        var starts: [Int] = []
        for c in chunks { starts.append(flat.count); flat += c.bytes }
        guard let resync = fromStart ? 0 : boundary(flat, framing: framing) else { return nil }
        var parser = SSEParser(framing: framing)
        var events: [SSEEvent] = []
        var firstFed: Int?
        for (k, c) in chunks.enumerated() {
            let lo = starts[k], hi = lo + c.bytes.count
            guard hi > resync else { continue }
            if firstFed == nil { firstFed = c.seq }
            events += parser.feed(c.bytes[max(0, resync - lo)...])
        }
        if ended { events += parser.finish() }
        let base = firstFed ?? 0
        for k in events.indices {
            events[k].firstChunk += base; events[k].lastChunk += base
        }
        return TailWindow(events: events, chunks: chunks, chunkStarts: starts.map { $0 - resync })
    }

    /// The offset just after the first blank line (an event boundary), or after the first line end
    /// for NDJSON; nil when there is none.
    static func boundary(_ b: [UInt8], framing: StreamFraming) -> Int? {
        var i = 0
        var lineEnded = false
        while i < b.count {
            let c = b[i]
            if c == 0x0A || c == 0x0D {
                var end = i + 1
                if c == 0x0D, end < b.count, b[end] == 0x0A { end += 1 }
                if framing == .ndjson || lineEnded {
                    // `\r` `\r\n`: the second terminator may itself be a CRLF; end after it.
                    return end
                }
                lineEnded = true
                i = end
                continue
            }
            lineEnded = false
            i += 1
        }
        return nil
    }

    /// The raw span of tail event `k`.
    func raw(_ k: Int, cap: Int) -> RawSpan? {
        guard k >= 0, k < events.count else { return nil }
        let e = events[k]
        let limit = min(e.end, e.start + cap)
        var bytes: [UInt8] = [], cuts: [RawSpan.Cut] = []
        var firstChunk = e.firstChunk, firstTime: UInt64 = 0
        var started = false
        for (i, c) in chunks.enumerated() {
            let pos = chunkStarts[i]
            let lo = max(pos, e.start), hi = min(pos + c.bytes.count, limit)
            guard lo < hi else { continue }
            if !started { started = true; firstChunk = c.seq; firstTime = c.offsetNs }
            else { cuts.append(.init(at: bytes.count, chunk: c.seq, timeNs: c.offsetNs)) }
            bytes += c.bytes[(lo - pos)..<(hi - pos)]
        }
        return RawSpan(bytes: bytes, cuts: cuts, firstChunk: firstChunk, firstTimeNs: firstTime, capped: limit < e.end)
    }

    /// Arrival time of tail event `k`.
    func time(_ k: Int) -> UInt64 {
        let i = events[k].lastChunk - (chunks.first?.seq ?? 0)
        return i >= 0 && i < chunks.count ? chunks[i].offsetNs : 0
    }
}
