import StreamtapeCore

/// What `stats` reads of one exchange: where it belongs and its derived measures, without headers or chunks.
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
    /// The derived facts; nil while not derived.
    public var derived: DerivedInfo?
}

extension Archive {
    /// The measured rows a query selects, in its order; with `tags`, each row's tags too.
    public func measuredRows(matching query: ArchiveQuery, tags: Bool = false) throws -> [MeasuredRow] {
        try read { db in
            let (filter, values) = query.whereClause()
            let s = try db.cached("SELECT id, started_ms, end_state, target, \(Self.derivedColumns) FROM exchanges \(filter) \(query.orderClause())")
            try Self.bind(values, to: s)
            defer { s.reset() }
            var rows: [MeasuredRow] = []
            while try s.step() {
                rows.append(MeasuredRow(id: s.int64(0), startedMs: s.int64(1), state: s.text(2), target: s.text(3), tags: [],
                                        derived: Self.derivedInfo(s, from: 4)))
            }
            guard tags, !rows.isEmpty else { return rows }
            let t = try db.cached("SELECT exchange_id, tag FROM tags WHERE exchange_id IN (SELECT id FROM exchanges \(filter))")
            try Self.bind(values, to: t)
            defer { t.reset() }
            var byID: [Int64: [String]] = [:]
            while try t.step() { byID[t.int64(0), default: []].append(t.text(1)) }
            for i in rows.indices { rows[i].tags = byID[rows[i].id] ?? [] }
            return rows
        }
    }
}
