import StreamtapeCore

extension Archive {
    /// Derives the ended exchanges whose facts are missing or stale (left by a crash, or by an
    /// upgrade from version 2), one short write each so a recorder starting meanwhile is not held
    /// up. Read-write archives only; returns how many were derived.
    @discardableResult
    public func deriveMissing(_ derive: (Exchange) -> DerivedInfo) throws -> Int {
        guard !isReadOnly else { throw ArchiveError.readOnly(path: path) }
        let ids = try underivedIDs()
        for id in ids {
            let info = derive(try exchange(id: id))
            try read { db in try Self.storeDerived(db, id: id, info) }
        }
        return ids.count
    }

    /// Stores derived facts and marks them current; a row still recording keeps its facts unknown.
    static func storeDerived(_ db: any StoreConnection, id: Int64, _ info: DerivedInfo) throws {
        let s = try db.cached("""
            UPDATE exchanges SET dialect = ?1, events = ?2, errors = ?3, warnings = ?4, derived = 1,
                   model = ?6, ttfb_ns = ?7, ttfc_ns = ?8, duration_ns = ?9, content_events = ?10, tokens_out = ?11,
                   tokens_per_s = ?12, gap_p50_ns = ?13, gap_p99_ns = ?14, gap_max_ns = ?15, stall_max_ns = ?16,
                   stop = ?17, error_type = ?18, codes = ?19
            WHERE id = ?5 AND end_state != 'recording'
            """)
        try s.bind(1, info.dialect); try s.bind(2, info.events); try s.bind(3, info.errors); try s.bind(4, info.warnings)
        try s.bind(5, id)
        let m = info.measures
        try s.bind(6, m.model)
        for (i, ns) in [m.ttfbNs, m.ttfcNs, m.durationNs].enumerated() { try s.bind(Int32(7 + i), ns.map(Nanos.store)) }
        try s.bind(10, m.contentEvents); try s.bind(11, m.tokensOut.map(Int64.init)); try s.bind(12, m.tokensPerSecond)
        for (i, ns) in [m.gapP50Ns, m.gapP99Ns, m.gapMaxNs, m.stallMaxNs].enumerated() { try s.bind(Int32(13 + i), ns.map(Nanos.store)) }
        try s.bind(17, m.stop); try s.bind(18, m.errorType); try s.bind(19, CodeList.store(info.codes))
        try s.step()
    }
}
