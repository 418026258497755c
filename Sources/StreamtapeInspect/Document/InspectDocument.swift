import Foundation
import StreamtapeCore

/// One exchange opened for inspection, read page by page from a `CaptureSource`.
///
/// Nothing is parsed before the first screen beyond the first page: `startIndexing()` runs the
/// parser over all chunks on a background thread, keeping only the compact `EventIndex` and a parser
/// checkpoint every `pageSize` chunks. Event data is re-parsed from the nearest checkpoint when a view
/// asks for it, and a few parsed pages are cached. Memory is the index plus the cache, whatever the
/// stream's length. With `follow`, indexing keeps polling the source while the exchange is recording.
///
/// Before the index reaches the end, `loadTail()` parses the last chunks from an event boundary;
/// those events are addressed with negative numbers (-1 is the last event) until the index is
/// complete and their real numbers are known (`count + k`).
///
/// Thread-safety: the indexer appends under `lock`; the UI thread reads under it.
public final class InspectDocument: @unchecked Sendable {
    /// Chunks per page (checkpoint interval).
    public let pageSize: Int
    /// Exchanges up to this many body bytes are handed whole to the analyzer for findings.
    public static let analysisByteLimit = 64 << 20
    /// Bytes of one event shown at most in the raw and hex views.
    public static let rawCap = 64 << 10

    /// The exchange head (request, response, end as first read).
    public private(set) var head: Exchange
    /// The injected dialect parts.
    public let plugins: InspectPlugins
    /// Keep polling for new chunks while the exchange records.
    public let follow: Bool

    private let source: any CaptureSource
    private let lock = NSLock()
    private var index = EventIndex()
    private var indexedChunks = 0
    private var complete = false
    private var stopRequested = false
    private var failure: String?
    private var findingsList: [InspectFinding] = []
    private var findingsState: FindingsState = .pending
    private var pageCache: [Int: [SSEEvent]] = [:]
    private var pageUse: [Int] = []
    private var assembler: (any TextAssembling, next: Int)?
    private var thread: Thread?
    private var tail: TailWindow?
    private var totalChunks = 0

    /// Where the findings stand.
    public enum FindingsState: Sendable, Equatable { case pending, ready, skipped(String), unavailable }

    /// Opens a source: reads the head and indexes the first page synchronously (the first screen).
    public init(source: any CaptureSource, plugins: InspectPlugins = InspectPlugins(), follow: Bool = false, pageSize: Int = 256) throws {
        self.source = source
        self.plugins = plugins
        self.follow = follow
        self.pageSize = max(1, pageSize)
        self.head = try source.head()
        if plugins.analyze == nil { findingsState = .unavailable }
        parser = SSEParser(framing: plugins.framing)
        try indexNextPage()
    }

    deinit { stop() }

    // MARK: - Indexing

    private var parser: SSEParser   // owned by whoever indexes (init, then the indexer thread)

    /// Starts the background indexer (idempotent).
    public func startIndexing() {
        lock.lock(); defer { lock.unlock() }
        guard thread == nil, !complete else { return }
        let t = Thread { [weak self] in self?.runIndexer() }
        t.name = "streamtape-inspect-indexer"
        t.stackSize = 1 << 22
        thread = t
        t.start()
    }

    /// Indexes everything on the calling thread (tests, small streams). Returns when complete.
    public func indexToEnd() throws {
        while try indexNextPage() {}
    }

    /// Asks the indexer to stop (used on quit).
    public func stop() {
        lock.lock(); stopRequested = true; lock.unlock()
    }

    private func runIndexer() {
        do {
            while true {
                lock.lock(); let stop = stopRequested; lock.unlock()
                if stop { return }
                if try !indexNextPage() { break }
            }
        } catch {
            lock.lock(); failure = "\(error)"; lock.unlock()
        }
    }

    /// Indexes up to one page; returns false once indexing is complete (or waiting is over).
    @discardableResult
    func indexNextPage() throws -> Bool {
        lock.lock(); let done = complete; let from = indexedChunks; lock.unlock()
        if done { return false }
        let total = try source.chunkCount()
        lock.lock(); totalChunks = max(totalChunks, total); lock.unlock()
        if from >= total {
            if follow, try source.head().end == nil {
                Thread.sleep(forTimeInterval: 0.1)
                lock.lock(); let stop = stopRequested; lock.unlock()
                return !stop
            }
            let last = parser.finish()
            let endHead = try source.head()
            lock.lock()
            for e in last { index.append(e) }
            complete = true
            tail = nil
            head = endHead
            lock.unlock()
            runAnalysis()
            return false
        }
        let pageEnd = min(total, (from / pageSize + 1) * pageSize)
        let chunks = try source.chunks(from..<pageEnd)
        var starts: [Int] = [], times: [UInt64] = [], events: [SSEEvent] = []
        var checkpoint: (Int, SSEParser, Int)?
        lock.lock(); var offset = index.bytes; var dispatched = index.count; lock.unlock()
        for c in chunks {
            if c.seq % pageSize == 0 { checkpoint = (c.seq / pageSize, parser, dispatched) }
            starts.append(offset); times.append(c.offsetNs)
            offset += c.bytes.count
            let out = parser.feed(c.bytes)
            dispatched += out.count
            events += out
        }
        lock.lock()
        if let (p, state, before) = checkpoint, p == index.checkpoints.count {
            index.checkpoints.append(state); index.eventsBeforePage.append(before)
        }
        index.chunkStarts += starts; index.chunkTimes += times; index.bytes = offset
        for e in events { index.append(e) }
        indexedChunks = from + chunks.count
        lock.unlock()
        return true
    }

    private func runAnalysis() {
        guard let analyze = plugins.analyze else { return }
        lock.lock(); let bytes = index.bytes; let n = indexedChunks; lock.unlock()
        guard bytes <= Self.analysisByteLimit else {
            lock.lock(); findingsState = .skipped("stream larger than \(Self.analysisByteLimit >> 20) MB"); lock.unlock()
            return
        }
        guard let chunks = try? source.chunks(0..<n) else { return }
        var exchange = head
        exchange.chunks = chunks
        let found = analyze(exchange).sorted { ($0.event ?? Int.max, $0.offset) < ($1.event ?? Int.max, $1.offset) }
        lock.lock(); findingsList = found; findingsState = .ready; lock.unlock()
    }

    // MARK: - The tail, before the index reaches it

    /// Whether the index has read every chunk the source had when last asked (`G` can then use it).
    public var isCaughtUp: Bool { lock.lock(); defer { lock.unlock() }; return complete || indexedChunks >= totalChunks }

    /// Fraction of the chunks indexed, 0...1.
    public var progress: Double {
        lock.lock(); defer { lock.unlock() }
        return complete ? 1 : totalChunks == 0 ? 0 : Double(indexedChunks) / Double(totalChunks)
    }

    /// Parses the last events from near the end (once) and returns how many there are; 0 when the
    /// index is complete or no event boundary was found.
    public func loadTail() -> Int {
        lock.lock()
        if complete { lock.unlock(); return 0 }
        if let tail { lock.unlock(); return tail.events.count }
        lock.unlock()
        guard let total = try? source.chunkCount(), let ended = try? source.head().end != nil,
              let window = try? TailWindow.load(source, framing: plugins.framing, total: total, ended: ended) else { return 0 }
        lock.lock(); defer { lock.unlock() }
        if complete { return 0 }
        tail = window
        return window.events.count
    }

    /// Events of the tail window (negative numbers address them).
    public var tailCount: Int { lock.lock(); defer { lock.unlock() }; return complete ? 0 : tail?.events.count ?? 0 }

    private func tailIndex(_ i: Int) -> Int? {
        guard i < 0, let tail, !complete else { return nil }
        let k = tail.events.count + i
        return k >= 0 ? k : nil
    }

    // MARK: - Reading

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
    /// Where the findings stand.
    public var findingsStatus: FindingsState { lock.lock(); defer { lock.unlock() }; return findingsState }
    /// All findings, sorted by event.
    public var findings: [InspectFinding] { lock.lock(); defer { lock.unlock() }; return findingsList }
    /// Sorted indices of events that have findings. Stream-wide findings (no event) are shown on
    /// the last event, so they count there.
    public var findingEvents: [Int] { Array(findingMarks.keys).sorted() }

    /// The worst severity of the findings shown on each event.
    public var findingMarks: [Int: FindingSeverity] {
        lock.lock(); defer { lock.unlock() }
        var out: [Int: FindingSeverity] = [:]
        for f in findingsList {
            guard let e = f.event ?? (index.count > 0 ? index.count - 1 : nil) else { continue }
            out[e] = min(out[e] ?? .info, f.severity)
        }
        return out
    }

    /// Findings of one event.
    public func findings(forEvent i: Int) -> [InspectFinding] {
        lock.lock(); defer { lock.unlock() }
        return findingsList.filter { $0.event == i }
    }
    /// Findings that apply to the stream as a whole (no event).
    public var streamFindings: [InspectFinding] {
        lock.lock(); defer { lock.unlock() }
        return findingsList.filter { $0.event == nil }
    }

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
    private var gapCache: (columns: Int, chunks: Int, end: UInt64, gaps: [UInt64?])?

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
        return head.end?.offsetNs ?? index.chunkTimes.last ?? 0
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
        guard page < index.checkpoints.count else { lock.unlock(); return nil }
        var p = index.checkpoints[page]
        let upTo = min(indexedChunks, (page + 1) * pageSize)
        let isLast = complete && upTo == indexedChunks
        let pageComplete = upTo == (page + 1) * pageSize || complete
        lock.unlock()
        guard let chunks = try? source.chunks(page * pageSize..<upTo) else { return nil }
        var events: [SSEEvent] = []
        for c in chunks { events += p.feed(c.bytes) }
        if isLast { events += p.finish() }
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
        for c in chunks {
            let lo = max(pos, start), hi = min(pos + c.bytes.count, cap)
            if lo < hi {
                if pos > start { cuts.append(.init(at: bytes.count, chunk: c.seq, timeNs: c.offsetNs)) }
                bytes += c.bytes[(lo - pos)..<(hi - pos)]
            }
            pos += c.bytes.count
        }
        return RawSpan(bytes: bytes, cuts: cuts, firstChunk: fc, firstTimeNs: firstTime, capped: cap < end)
    }

    /// What the user had seen once event `i` arrived. Walking forward reuses the last assembly.
    public func assembly(through i: Int) -> AssembledText {
        guard i >= 0 else { return AssembledText() }
        var state: (any TextAssembling, next: Int)
        lock.lock(); let cached = assembler; lock.unlock()
        if let cached, cached.next <= i + 1 { state = cached } else { state = (plugins.makeAssembler(), 0) }
        while state.next <= i, let e = event(state.next) {
            state.0.add(e)
            state.next += 1
        }
        lock.lock(); assembler = state; lock.unlock()
        return state.0.assembled
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
