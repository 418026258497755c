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
    public static let analysisByteLimit = 16 << 20
    /// Bytes of one event shown at most in the raw and hex views.
    public static let rawCap = 64 << 10
    /// A checkpoint is kept only when the parser holds at most this many bytes of an unfinished event.
    static let checkpointPendingLimit = 64 << 10

    /// The exchange head (request, response, end as first read; the end once indexing completes).
    public var head: Exchange { lock.lock(); defer { lock.unlock() }; return headValue }
    /// The dialect the events are read as: forced, or detected from the head and the first chunks.
    public let dialect: Dialect
    /// How the body is framed.
    public let framing: StreamFraming
    /// The dialect the user forced, handed to the analyzer as is (nil: it detects from the whole body).
    let forcedDialect: Dialect?
    /// Keep polling for new chunks while the exchange records.
    public let follow: Bool

    // State shared by the extensions; everything below `lock` is read and written under it.
    /// The exchange's chunks.
    let source: any CaptureSource
    /// Guards the mutable state below.
    let lock = NSLock()
    /// The head as last read (the indexer replaces it at the end while the UI reads it).
    var headValue: Exchange
    /// The compact index built so far.
    var index = EventIndex()
    /// Chunks indexed so far.
    var indexedChunks = 0
    /// Whether the index reached the end.
    var complete = false
    private var stopRequested = false
    /// An error that stopped indexing.
    var failure: String?
    /// Findings, sorted by event.
    var findingsList: [Finding] = []
    /// Where the findings stand.
    var findingsState: FindingsState = .pending
    /// Parsed pages by page number, and their use order (least recent first).
    var pageCache: [Int: [SSEEvent]] = [:], pageUse: [Int] = []
    /// The last assembly (its `eventCount` is the next event it needs).
    var assembler: Assembler?
    private var thread: Thread?
    /// The tail window, once `G` asked for it before the index got there.
    var tail: TailWindow?
    /// The largest chunk count the source reported.
    var totalChunks = 0
    /// The last gap chart columns.
    var gapCache: (columns: Int, chunks: Int, end: UInt64, gaps: [UInt64?])?

    /// Where the findings stand.
    public enum FindingsState: Sendable, Equatable { case pending, ready, skipped(String) }

    /// Opens a source: reads the head, settles dialect and framing (`dialect` forces one) and indexes
    /// the first page synchronously (the first screen).
    public init(source: any CaptureSource, dialect forced: Dialect? = nil, follow: Bool = false, pageSize: Int = 256) throws {
        self.source = source
        self.follow = follow
        self.pageSize = max(1, pageSize)
        self.headValue = try source.head()
        (dialect, framing) = try Self.dialect(of: source, head: headValue, forced: forced)
        forcedDialect = forced
        parser = SSEParser(framing: framing)
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
            let endHead = try source.head()
            if follow, endHead.end == nil {
                Thread.sleep(forTimeInterval: 0.1)
                lock.lock(); let stop = stopRequested; lock.unlock()
                return !stop
            }
            // The last chunks and the end may have been written after `total` was read: the end is
            // written after every chunk, so counting again now sees them all.
            if try source.chunkCount() > from { return true }
            let last = parser.finish()
            lock.lock()
            for e in last { index.append(e) }
            complete = true
            tail = nil
            headValue = endHead
            lock.unlock()
            runAnalysis()
            return false
        }
        let pageEnd = min(total, (from / pageSize + 1) * pageSize)
        let chunks = try source.chunks(from..<pageEnd)
        var starts: [Int] = [], times: [UInt64] = [], events: [SSEEvent] = []
        var checkpoint: (page: Int, parser: SSEParser?)?
        lock.lock(); var offset = index.bytes; var lastEnd = index.ends.last ?? 0; lock.unlock()
        // Chunks are numbered by position (what `chunks(range)` takes), whatever their `seq` says.
        for (k, c) in chunks.enumerated() {
            let position = from + k
            if position % pageSize == 0 {
                // A parser holding a long unfinished event (a stream without blank lines, say) would
                // copy it into every checkpoint: skip those; reading goes back to an earlier one.
                checkpoint = (position / pageSize, offset - lastEnd > Self.checkpointPendingLimit ? nil : parser)
            }
            starts.append(offset); times.append(c.offsetNs)
            offset += c.bytes.count
            let out = parser.feed(c.bytes)
            if let last = out.last { lastEnd = last.end }
            events += out
        }
        lock.lock()
        if let checkpoint, checkpoint.page == index.checkpoints.count { index.checkpoints.append(checkpoint.parser) }
        index.chunkStarts += starts; index.chunkTimes += times; index.bytes = offset
        for e in events { index.append(e) }
        indexedChunks = from + chunks.count
        lock.unlock()
        return true
    }

    private func runAnalysis() {
        lock.lock(); let bytes = index.bytes; let n = indexedChunks; lock.unlock()
        guard bytes <= Self.analysisByteLimit else {
            lock.lock(); findingsState = .skipped("stream larger than \(Self.analysisByteLimit >> 20) MB"); lock.unlock()
            return
        }
        guard let chunks = try? source.chunks(0..<n) else { return }
        var exchange = head
        exchange.chunks = chunks
        let found = Analysis.analyze(exchange, dialect: forcedDialect).findings.sorted { ($0.event ?? Int.max, $0.offset) < ($1.event ?? Int.max, $1.offset) }
        lock.lock(); findingsList = found; findingsState = .ready; lock.unlock()
    }
}
