import StreamtapeCore

/// What `stats` reads of one exchange: where it belongs, its finding counts and codes, and the
/// measures it summarises, all from the covering index `exchanges_measures` (no row reads).
public struct MeasuredRow: Hashable, Sendable {
    /// The exchange id.
    public var id: Int64
    /// Wall-clock start (ms since 1970).
    public var startedMs: Int64
    /// The end state's word.
    public var state: String
    /// The request target.
    public var target: String
    /// Its tags (filled only when asked for).
    public var tags: [String]
    /// Whether the derived facts below are known (false: not analysed yet, all empty).
    public var derived: Bool
    /// Error-level findings.
    public var errors: Int
    /// The codes of its findings, each once.
    public var codes: [String]
    /// The measures `stats` summarises: model, ttfb, ttfc, duration, median gap, tokens per second
    /// (the others are left empty).
    public var measures: Measures
}

extension Archive {
    /// The measured rows a query selects (in no particular order; its sort and limit are ignored);
    /// with `tags`, each row's tags too.
    public func measuredRows(matching query: ArchiveQuery, tags: Bool = false) throws -> [MeasuredRow] {
        try read { db in
            let (filter, values) = query.whereClause()
            let s = try db.cached("""
                SELECT id, started_ms, end_state, target, derived, errors, codes, model, ttfb_ns, ttfc_ns, duration_ns,
                       gap_p50_ns, tokens_per_s
                FROM exchanges \(filter)
                """)
            try Self.bind(values, to: s)
            defer { s.reset() }
            var rows: [MeasuredRow] = []
            while try s.step() {
                let derived = s.int64(4) != 0
                let ns = { (i: Int32) in derived ? s.optionalInt64(i).map(Nanos.load) : nil }
                let measures = derived
                    ? Measures(model: s.optionalText(7), ttfbNs: ns(8), ttfcNs: ns(9), durationNs: ns(10), gapP50Ns: ns(11))
                    : Measures()
                var row = MeasuredRow(id: s.int64(0), startedMs: s.int64(1), state: s.text(2), target: s.text(3), tags: [],
                                      derived: derived, errors: derived ? Int(s.int64(5)) : 0,
                                      codes: derived ? CodeList.load(s.text(6)) : [], measures: measures)
                if derived { row.measures.tokensPerSecond = s.optionalDouble(12) }
                rows.append(row)
            }
            guard tags, !rows.isEmpty else { return rows }
            // Without a filter every tag belongs to a selected row: no subquery to build.
            let t = try db.cached(filter.isEmpty ? "SELECT exchange_id, tag FROM tags"
                                                 : "SELECT exchange_id, tag FROM tags WHERE exchange_id IN (SELECT id FROM exchanges \(filter))")
            try Self.bind(values, to: t)
            defer { t.reset() }
            var byID: [Int64: [String]] = [:]
            byID.reserveCapacity(rows.count)
            while try t.step() { byID[t.int64(0), default: []].append(t.text(1)) }
            for i in rows.indices { rows[i].tags = byID[rows[i].id] ?? [] }
            return rows
        }
    }
}
