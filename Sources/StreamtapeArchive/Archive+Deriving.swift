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
            UPDATE exchanges SET dialect = ?1, events = ?2, errors = ?3, warnings = ?4, derived = 1
            WHERE id = ?5 AND end_state != 'recording'
            """)
        try s.bind(1, info.dialect); try s.bind(2, info.events); try s.bind(3, info.errors); try s.bind(4, info.warnings)
        try s.bind(5, id)
        try s.step()
    }
}
