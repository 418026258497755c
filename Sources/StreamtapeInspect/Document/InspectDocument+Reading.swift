import Foundation
import StreamtapeCore

/// What the views read: counts, summaries, events re-parsed from checkpoints, raw spans, assembly, search.
extension InspectDocument {
    /// Events indexed so far.
    public var eventCount: Int { lock.lock(); defer { lock.unlock() }; return index.count }
    /// Chunks indexed so far.
    public var chunkCount: Int { lock.lock(); defer { lock.unlock() }; return indexedChunks }
    /// Body bytes indexed so far.
    public var byteCount: Int { lock.lock(); defer { lock.unlock() }; return index.bytes }
    /// Whether the whole stream is indexed.
    public var isComplete: Bool { lock.lock(); defer { lock.unlock() }; return complete }
    /// An indexing error, if one stopped it.
    public var indexingError: String? { lock.lock(); defer { lock.unlock() }; return failure }
    /// Arrival time of the first chunk (ns), the time to first byte.
    public var firstChunkTimeNs: UInt64? { lock.lock(); defer { lock.unlock() }; return index.chunkTimes.first }

    /// Per screen column over `0...endTimeNs`: the largest gap between chunks ending in that column
    /// (the first chunk's gap is its arrival), nil for columns where no chunk arrived. Cached.
    public func gapColumns(_ columns: Int) -> (gaps: [UInt64?], endNs: UInt64) {
        let end = endTimeNs
        lock.lock(); defer { lock.unlock() }
        if let c = gapCache, c.columns == columns, c.chunks == index.chunkTimes.count, c.end == end { return (c.gaps, end) }
        var gaps = [UInt64?](repeating: nil, count: max(0, columns))
        guard columns > 0 else { return (gaps, end) }
        let span = max(end, 1)
        var prev: UInt64 = 0
        for t in index.chunkTimes {
            let col = min(columns - 1, Int(Double(t) / Double(span) * Double(columns)))
            let gap = t >= prev ? t - prev : 0
            gaps[col] = max(gaps[col] ?? 0, gap)
            prev = t
        }
        gapCache = (columns, index.chunkTimes.count, end, gaps)
        return (gaps, end)
    }

    /// Checkpoints: how many pages, and how many hold a parser state (the others reuse an earlier one).
    var checkpointsHeld: (total: Int, kept: Int) {
        lock.lock(); defer { lock.unlock() }
        return (index.checkpoints.count, index.checkpoints.filter { $0 != nil }.count)
    }

    /// Chunk arrival times indexed so far (ns).
    public var chunkTimes: [UInt64] { lock.lock(); defer { lock.unlock() }; return index.chunkTimes }

    /// The compact summary of event `i`, nil when not indexed yet.
    public func summary(_ i: Int) -> EventSummary? {
        lock.lock(); defer { lock.unlock() }
        if let k = tailIndex(i), let tail {
            let e = tail.events[k], t = tail.time(k)
            let prev = k > 0 ? tail.time(k - 1) : t
            return EventSummary(index: i, type: e.type, timeNs: t, gapNs: t >= prev ? t - prev : 0, size: e.length,
                                start: -1, firstChunk: e.firstChunk, lastChunk: e.lastChunk)
        }
        guard i >= 0, i < index.count else { return nil }
        let t = index.time(i)
        let prev = i > 0 ? index.time(i - 1) : 0
        return EventSummary(index: i, type: index.typeName(i), timeNs: t, gapNs: t >= prev ? t - prev : 0,
                            size: index.ends[i] - index.starts[i], start: index.starts[i],
                            firstChunk: Int(index.firstChunks[i]), lastChunk: Int(index.lastChunks[i]))
    }

    /// Time of event `i` (ns).
    public func eventTime(_ i: Int) -> UInt64? {
        lock.lock(); defer { lock.unlock() }
        if let k = tailIndex(i), let tail { return tail.time(k) }
        return i >= 0 && i < index.count ? index.time(i) : nil
    }

    /// The last event at or before `ns`.
    public func lastEvent(atOrBefore ns: UInt64) -> Int? {
        lock.lock(); defer { lock.unlock() }
        return index.lastEvent(atOrBefore: ns)
    }

    /// The stream's end time: the end record, else the last chunk.
    public var endTimeNs: UInt64 {
        lock.lock(); defer { lock.unlock() }
        return headValue.end?.offsetNs ?? index.chunkTimes.last ?? 0
    }

    /// The full event `i` (data included), re-parsed from its page's checkpoint when not cached.
    public func event(_ i: Int) -> SSEEvent? {
        lock.lock()
        if let k = tailIndex(i), let tail { lock.unlock(); return tail.events[k] }
        guard i >= 0, i < index.count else { lock.unlock(); return nil }
        let page = Int(index.lastChunks[i]) / pageSize
        lock.unlock()
        guard let events = pageEvents(page), let first = events.first else { return nil }
        let k = i - first.index
        return k >= 0 && k < events.count ? events[k] : nil
    }

    private func pageEvents(_ page: Int) -> [SSEEvent]? {
        lock.lock()
        if let hit = pageCache[page] { lock.unlock(); return hit }
        guard page < index.checkpoints.count,
              let from = (0...page).reversed().first(where: { index.checkpoints[$0] != nil }),
              var p = index.checkpoints[from] else { lock.unlock(); return nil }
        let upTo = min(indexedChunks, (page + 1) * pageSize)
        let isLast = complete && upTo == indexedChunks
        let pageComplete = upTo == (page + 1) * pageSize || complete
        lock.unlock()
        guard let chunks = try? source.chunks(from * pageSize..<upTo) else { return nil }
        var events: [SSEEvent] = []
        for c in chunks { events += p.feed(c.bytes) }
        if isLast { events += p.finish() }
        if from < page { events.removeAll { $0.lastChunk < page * pageSize } }   // those belong to earlier pages
        if pageComplete {
            lock.lock()
            pageCache[page] = events
            pageUse.removeAll { $0 == page }
            pageUse.append(page)
            if pageUse.count > 16 { pageCache[pageUse.removeFirst()] = nil }
            lock.unlock()
        }
        return events
    }

    /// The raw bytes of event `i` with its chunk cuts (capped at `rawCap` bytes).
    public func raw(_ i: Int) -> RawSpan? {
        lock.lock()
        if let k = tailIndex(i), let tail { lock.unlock(); return tail.raw(k, cap: Self.rawCap) }
        guard i >= 0, i < index.count else { lock.unlock(); return nil }
        let start = index.starts[i], end = index.ends[i]
        let fc = Int(index.firstChunks[i]), lc = Int(index.lastChunks[i])
        let chunkStart = index.chunkStarts[fc]
        let firstTime = index.chunkTimes[fc]
        lock.unlock()
        let cap = min(end, start + Self.rawCap)
        var lastNeeded = lc
        lock.lock()
        while lastNeeded > fc, index.chunkStarts[lastNeeded] >= cap { lastNeeded -= 1 }
        lock.unlock()
        guard let chunks = try? source.chunks(fc..<(lastNeeded + 1)) else { return nil }
        var bytes: [UInt8] = [], cuts: [RawSpan.Cut] = []
        var pos = chunkStart
        for (k, c) in chunks.enumerated() {
            let lo = max(pos, start), hi = min(pos + c.bytes.count, cap)
            if lo < hi {
                if pos > start { cuts.append(.init(at: bytes.count, chunk: fc + k, timeNs: c.offsetNs)) }
                bytes += c.bytes[(lo - pos)..<(hi - pos)]
            }
            pos += c.bytes.count
        }
        return RawSpan(bytes: bytes, cuts: cuts, firstChunk: fc, firstTimeNs: firstTime, capped: cap < end)
    }

    /// What the user had seen once event `i` arrived. Walking forward reuses the last assembly.
    public func assembly(through i: Int) -> Assembly {
        guard i >= 0 else { return Assembly() }
        lock.lock(); let cached = assembler; lock.unlock()
        var state = cached.flatMap { $0.eventCount <= i + 1 ? $0 : nil } ?? Assembler(dialect: dialect)
        while state.eventCount <= i, let e = event(state.eventCount) { state.add(e) }
        lock.lock(); assembler = state; lock.unlock()
        return state.assembly
    }

    /// The next (or previous) event after `from` whose type or data contains `query`
    /// (case-insensitive), wrapping around; nil when none.
    public func search(_ query: String, from: Int, forward: Bool) -> Int? {
        let n = eventCount
        guard n > 0, !query.isEmpty else { return nil }
        let from = from < 0 ? (forward ? -1 : n) : from   // from the tail: search the indexed events
        let q = query.lowercased()
        for step in 1...n {
            let i = ((from + (forward ? step : -step)) % n + n) % n
            if let e = event(i), e.type.lowercased().contains(q) || e.data.lowercased().contains(q) { return i }
        }
        return nil
    }
}

extension InspectDocument {
    /// The response body's first `limit` bytes (all chunks joined) and whether there were more.
    public func bodyPrefix(limit: Int = InspectDocument.rawCap) -> (bytes: [UInt8], capped: Bool) {
        lock.lock(); let n = indexedChunks; lock.unlock()
        var out: [UInt8] = []
        var from = 0
        while from < n, out.count < limit {
            guard let chunks = try? source.chunks(from..<min(n, from + pageSize)), !chunks.isEmpty else { break }
            for c in chunks { out += c.bytes }
            from += chunks.count
        }
        return out.count > limit ? (Array(out.prefix(limit)), true) : (out, from < n)
    }
}
