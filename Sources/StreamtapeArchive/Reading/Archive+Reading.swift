import StreamtapeCore

extension Archive {
    /// How many exchanges the archive holds.
    public func count() throws -> Int {
        try read { db in Int(try db.scalar("SELECT count(*) FROM exchanges") ?? 0) }
    }

    /// Summary rows ordered by id (oldest first, newest last), `limit` rows after skipping `offset`.
    public func summaries(limit: Int = 100, offset: Int = 0) throws -> [ArchivedSummary] {
        try read { db in
            let s = try db.cached("SELECT \(Self.summaryColumns(db)) FROM exchanges ORDER BY id LIMIT ?1 OFFSET ?2")
            try s.bind(1, limit); try s.bind(2, offset)
            return try Self.summaryRows(db, s)
        }
    }

    /// The summary rows a query selects, in its order.
    public func summaries(matching query: ArchiveQuery) throws -> [ArchivedSummary] {
        try read { db in
            let (filter, values) = query.whereClause()
            let s = try db.cached("SELECT \(Self.summaryColumns(db)) FROM exchanges \(filter) \(query.orderClause())")
            try Self.bind(values, to: s)
            defer { s.reset() }
            return try Self.summaryRows(db, s)
        }
    }

    /// Binds a query's values to its `?` placeholders.
    static func bind(_ values: [ArchiveQuery.Value], to s: any StoreStatement) throws {
        for (i, v) in values.enumerated() {
            switch v {
            case .int(let n): try s.bind(Int32(i + 1), n)
            case .text(let t): try s.bind(Int32(i + 1), t)
            }
        }
    }

    /// The columns `summaryRows` reads (the end state as this database reads it: a dead recorder's
    /// exchanges are interrupted).
    static func summaryColumns(_ db: any StoreConnection) -> String {
        """
        id, started_ms, upstream, method, target, status, \(db.dialect.endState), chunks, bytes,
        first_chunk_ns, end_offset_ns, note, timing_unknown, recorder, \(derivedColumns)
        """
    }

    /// Steps `s` (selecting `summaryColumns`) to the end and adds each row's tags.
    static func summaryRows(_ db: any StoreConnection, _ s: any StoreStatement) throws -> [ArchivedSummary] {
        var rows: [ArchivedSummary] = []
        while try s.step() {
            var summary = ExchangeSummary(
                id: s.int64(0), startedMs: s.int64(1), upstream: s.text(2), method: s.text(3), target: s.text(4),
                status: s.optionalInt64(5).map(Int.init), state: Self.endState(s.text(6)),
                chunks: Int(s.int64(7)), bytes: Int(s.int64(8)),
                firstChunkNs: s.optionalInt64(9).map(Nanos.load), endNs: s.optionalInt64(10).map(Nanos.load), tags: [])
            summary.timingUnknown = s.int64(12) != 0
            rows.append(ArchivedSummary(summary: summary, derived: Self.derivedInfo(s, from: 14), note: s.optionalText(11),
                                        recorder: s.text(13)))
        }
        let ids = rows.map(\.summary.id)
        guard let first = ids.min(), let last = ids.max() else { return rows }
        let tags = try db.cached("SELECT exchange_id, tag FROM tags WHERE exchange_id BETWEEN ?1 AND ?2")
        try tags.bind(1, first); try tags.bind(2, last)
        var byID: [Int64: [String]] = [:]
        while try tags.step() { byID[tags.int64(0), default: []].append(tags.text(1)) }
        for i in rows.indices { rows[i].summary.tags = byID[rows[i].summary.id] ?? [] }
        return rows
    }

    /// The whole exchange, chunks included. Throws `ArchiveError.noExchange` for an unknown id.
    public func exchange(id: Int64) throws -> Exchange {
        try read { db in
            var e = try Self.head(db, id: id, path: path)
            let s = try db.cached("SELECT seq, offset_ns, bytes FROM chunks WHERE exchange_id = ?1 ORDER BY seq")
            try s.bind(1, id)
            while try s.step() { e.chunks.append(Chunk(seq: Int(s.int64(0)), offsetNs: Nanos.load(s.int64(1)), bytes: s.blob(2))) }
            return e
        }
    }

    /// The exchange without its chunks.
    public func head(id: Int64) throws -> Exchange {
        try read { db in try Self.head(db, id: id, path: path) }
    }

    /// How many chunks the exchange has (it may still grow while a recorder writes it).
    public func chunkCount(id: Int64) throws -> Int {
        try read { db in
            let s = try db.cached("SELECT max(seq) FROM chunks WHERE exchange_id = ?1")
            try s.bind(1, id)
            guard try s.step(), let last = s.optionalInt64(0) else {
                _ = try Self.head(db, id: id, path: path)  // unknown id → noExchange
                return 0
            }
            try checkSeq(last, id: id)
            return Int(last) + 1
        }
    }

    /// The chunks with sequence numbers in `seqRange`, in order, read without touching the others.
    public func chunks(id: Int64, seqRange: Range<Int>) throws -> [Chunk] {
        try read { db in
            let s = try db.cached("""
                SELECT seq, offset_ns, bytes FROM chunks
                WHERE exchange_id = ?1 AND seq >= ?2 AND seq < ?3 ORDER BY seq
                """)
            try s.bind(1, id); try s.bind(2, seqRange.lowerBound); try s.bind(3, seqRange.upperBound)
            var out: [Chunk] = []
            out.reserveCapacity(max(0, min(seqRange.count, 65_536)))
            while try s.step() { out.append(Chunk(seq: Int(s.int64(0)), offsetNs: Nanos.load(s.int64(1)), bytes: s.blob(2))) }
            return out
        }
    }

    /// The chunks that hold any byte of the body range `byteRange`, in order, each with its start.
    public func chunks(id: Int64, byteRange: Range<Int>) throws -> [PositionedChunk] {
        guard !byteRange.isEmpty else { return [] }
        return try read { db in
            let from = try firstSeq(db, id: id, atOrBefore: byteRange.lowerBound)
            let s = try db.cached("""
                SELECT seq, offset_ns, start_byte, bytes FROM chunks
                WHERE exchange_id = ?1 AND seq >= ?2 ORDER BY seq
                """)
            try s.bind(1, id); try s.bind(2, from)
            defer { s.reset() }
            var out: [PositionedChunk] = []
            while try s.step() {
                let start = Int(s.int64(2))
                if start >= byteRange.upperBound { break }
                let bytes = s.blob(3)
                // A damaged row must not trap in the range arithmetic below.
                guard start >= 0, !start.addingReportingOverflow(bytes.count).overflow else {
                    throw ArchiveError.corrupt(path: path, detail: "exchange \(id) has a chunk at an impossible byte offset")
                }
                let p = PositionedChunk(chunk: Chunk(seq: Int(s.int64(0)), offsetNs: Nanos.load(s.int64(1)), bytes: bytes),
                                        startByte: start)
                if p.byteRange.overlaps(byteRange) { out.append(p) }
            }
            return out
        }
    }

    /// The seq of the last chunk starting at or before body byte `byte` (0 when none does): a
    /// binary search over the primary key, since `start_byte` grows with `seq`. Gaps in `seq` (a
    /// damaged archive) are stepped over, and the search ends whatever the rows hold.
    private func firstSeq(_ db: any StoreConnection, id: Int64, atOrBefore byte: Int) throws -> Int64 {
        let last = try db.cached("SELECT max(seq) FROM chunks WHERE exchange_id = ?1")
        try last.bind(1, id)
        defer { last.reset() }
        guard try last.step(), let top = last.optionalInt64(0) else { return 0 }
        try checkSeq(top, id: id)
        let probe = try db.cached("SELECT seq, start_byte FROM chunks WHERE exchange_id = ?1 AND seq >= ?2 ORDER BY seq LIMIT 1")
        var (low, high, found): (Int64, Int64, Int64) = (0, top, 0)
        while low <= high {
            let mid = low + (high - low) / 2
            probe.reset()
            try probe.bind(1, id); try probe.bind(2, mid)
            guard try probe.step() else { high = mid - 1; continue }
            let (seq, start) = (probe.int64(0), probe.int64(1))
            if seq <= high && start <= Int64(byte) {
                found = seq
                low = seq + 1
            } else {
                high = mid - 1
            }
        }
        probe.reset()
        return found
    }

    /// Rejects a stored highest seq no recorder writes (a damaged row), before arithmetic on it traps.
    private func checkSeq(_ seq: Int64, id: Int64) throws {
        guard seq >= 0, seq < Int64.max else {
            throw ArchiveError.corrupt(path: path, detail: "exchange \(id) has a chunk with an impossible sequence number \(seq)")
        }
    }

    /// Ids of the exchanges carrying `tag`, ascending.
    public func exchangeIDs(tag: String) throws -> [Int64] {
        try read { db in
            let s = try db.cached("SELECT exchange_id FROM tags WHERE tag = ?1 ORDER BY exchange_id")
            try s.bind(1, tag)
            var ids: [Int64] = []
            while try s.step() { ids.append(s.int64(0)) }
            return ids
        }
    }

    /// The cached derived facts of an exchange; nil while not derived (recording, just ended, or
    /// left by a crash and not yet repaired).
    public func derived(id: Int64) throws -> DerivedInfo? {
        try read { db in
            let s = try db.cached("SELECT \(Self.derivedColumns) FROM exchanges WHERE id = ?1")
            try s.bind(1, id)
            guard try s.step() else { throw ArchiveError.noExchange(id: id, path: path) }
            return Self.derivedInfo(s, from: 0)
        }
    }

    /// The columns `derivedInfo` reads, in its order.
    static let derivedColumns = """
        derived, dialect, events, errors, warnings, model, ttfb_ns, ttfc_ns, duration_ns, content_events, tokens_out,
        tokens_per_s, gap_p50_ns, gap_p99_ns, gap_max_ns, stall_max_ns, stop, error_type, codes
        """

    /// Reads the `derivedColumns` starting at column `first`.
    static func derivedInfo(_ s: any StoreStatement, from first: Int32) -> DerivedInfo? {
        guard s.int64(first) != 0 else { return nil }
        let ns = { (i: Int32) in s.optionalInt64(first + i).map(Nanos.load) }
        let measures = Measures(
            model: s.optionalText(first + 5), ttfbNs: ns(6), ttfcNs: ns(7), durationNs: ns(8),
            contentEvents: Int(s.int64(first + 9)), tokensOut: s.optionalInt64(first + 10).map(Int.init),
            tokensPerSecond: s.optionalDouble(first + 11), gapP50Ns: ns(12), gapP99Ns: ns(13), gapMaxNs: ns(14),
            stallMaxNs: ns(15), stop: s.optionalText(first + 16), errorType: s.optionalText(first + 17))
        return DerivedInfo(dialect: s.text(first + 1), events: Int(s.int64(first + 2)),
                           errors: Int(s.int64(first + 3)), warnings: Int(s.int64(first + 4)), measures: measures,
                           codes: CodeList.load(s.text(first + 18)))
    }

    /// Ids of ended exchanges whose derived facts are missing or stale, ascending.
    public func underivedIDs() throws -> [Int64] {
        try read { db in
            let s = try db.cached("SELECT id FROM exchanges WHERE derived = 0 AND end_state != 'recording' ORDER BY id")
            var ids: [Int64] = []
            while try s.step() { ids.append(s.int64(0)) }
            return ids
        }
    }

    /// A page-by-page source over one exchange, for viewers. Throws `noExchange` for an unknown id.
    public func source(id: Int64) throws -> ArchiveCaptureSource {
        _ = try head(id: id)
        return ArchiveCaptureSource(archive: self, id: id)
    }

    /// Reads the exchange row and tags (no chunks).
    static func head(_ db: any StoreConnection, id: Int64, path: String) throws -> Exchange {
        let s = try db.cached("""
            SELECT started_ms, upstream, method, target, request_headers, request_body, status, response_headers,
                   response_offset_ns,
                   coalesce(end_offset_ns, (SELECT max(offset_ns) FROM chunks c WHERE c.exchange_id = exchanges.id), response_offset_ns),
                   \(db.dialect.endState), \(db.dialect.error), note, timing_unknown
            FROM exchanges WHERE id = ?1
            """)
        try s.bind(1, id)
        guard try s.step() else { throw ArchiveError.noExchange(id: id, path: path) }
        let request = CapturedRequest(method: s.text(2), target: s.text(3), headers: HeaderJSON.decode(s.text(4)), body: s.blob(5))
        let response = s.optionalInt64(6).map {
            CapturedResponse(status: Int($0), headers: HeaderJSON.decode(s.text(7)), offsetNs: Nanos.load(s.optionalInt64(8) ?? 0))
        }
        let state = endState(s.text(10))
        let end = state == .inProgress ? nil
            : ExchangeEnd(offsetNs: Nanos.load(s.optionalInt64(9) ?? 0), state: state, error: s.optionalText(11))
        var e = Exchange(id: id, startedMs: s.int64(0), upstream: s.text(1), request: request, response: response,
                         chunks: [], end: end, tags: [], note: s.optionalText(12), timingUnknown: s.int64(13) != 0)
        let tags = try db.cached("SELECT tag FROM tags WHERE exchange_id = ?1 ORDER BY tag")
        try tags.bind(1, id)
        while try tags.step() { e.tags.append(tags.text(0)) }
        return e
    }

    /// Reads a stored end state; an unknown word (a damaged row) reads as `interrupted`.
    static func endState(_ text: String) -> EndState { EndState(rawValue: text) ?? .interrupted }
}
