extension Archive {
    /// The exchange's stable identity: its uid and the recorder that wrote it.
    public func identity(id: Int64) throws -> ExchangeIdentity {
        try read { db in
            let s = try db.cached("SELECT uid, recorder FROM exchanges WHERE id = ?1")
            try s.bind(1, id)
            guard try s.step() else { throw ArchiveError.noExchange(id: id, path: path) }
            return ExchangeIdentity(uid: s.text(0), recorder: s.text(1))
        }
    }

    /// Every exchange's uid (what `copy` checks so that copying twice copies nothing twice).
    public func uids() throws -> Set<String> {
        try read { db in
            let s = try db.cached("SELECT uid FROM exchanges")
            var out: Set<String> = []
            while try s.step() { out.insert(s.text(0)) }
            return out
        }
    }
}
