extension Archive {
    /// Ids of the ended exchanges that started before `cutoffMs` (ms since 1970) and carry none
    /// of `keepTags`, ascending: what `prune` removes. Exchanges still recording are never pruned.
    public func pruneCandidates(before cutoffMs: Int64, keepTags: [String]) throws -> [Int64] {
        try read { db in
            let keep = keepTags.indices.map { "?\($0 + 2)" }.joined(separator: ", ")
            let s = try db.cached("""
                SELECT id FROM exchanges WHERE started_ms < ?1 AND end_state != 'recording'
                \(keepTags.isEmpty ? "" : "AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.exchange_id = exchanges.id AND t.tag IN (\(keep)))")
                ORDER BY id
                """)
            try s.bind(1, cutoffMs)
            for (i, tag) in keepTags.enumerated() { try s.bind(Int32(i + 2), tag) }
            var ids: [Int64] = []
            while try s.step() { ids.append(s.int64(0)) }
            return ids
        }
    }

    /// Deletes the exchanges `ids` with their chunks and tags, in one transaction. Read-write only.
    public func delete(ids: [Int64]) throws {
        guard !isReadOnly else { throw ArchiveError.readOnly(path: path) }
        try read { db in
            try db.execute(db.dialect.beginWrite)
            do {
                for table in ["chunks", "tags"] {
                    let s = try db.cached("DELETE FROM \(table) WHERE exchange_id = ?1")
                    for id in ids { s.reset(); try s.bind(1, id); try s.step() }
                }
                let s = try db.cached("DELETE FROM exchanges WHERE id = ?1")
                for id in ids { s.reset(); try s.bind(1, id); try s.step() }
                try db.execute("COMMIT")
            } catch {
                db.resetAll()
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }
}
