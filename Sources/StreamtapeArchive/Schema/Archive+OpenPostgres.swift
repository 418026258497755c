import Foundation

extension Archive {
    /// Opens the archive in the PostgreSQL database `uri` names. Read-write creates the schema on
    /// first use and migrates it (under an advisory lock, so recorders starting together do it
    /// once), then marks the open exchanges of recorders whose heartbeat lapsed as `interrupted`.
    /// Read-only requires the current schema version. A database written by a newer streamtape is
    /// refused either way. Messages name the URI without its password.
    static func openPostgres(uri: String, readOnly: Bool) throws -> Archive {
        let location = ArchiveLocation.postgres(uri: uri)
        let path = location.displayName
        let db: PGConnection
        do { db = try PGConnection(uri: uri) } catch {
            throw ArchiveError.cannotOpen(path: path, detail: error.message)
        }
        let archive = Archive(location: location, isReadOnly: readOnly, db: db)
        try archive.read { _ in
            if readOnly {
                let version = try pgVersion(db, path: path)
                if version == 0 { throw ArchiveError.notAnArchive(path: path, reason: "no streamtape schema in this database") }
                if version < PGMigrations.current {
                    throw ArchiveError.needsUpgrade(path: path, version: version, supported: PGMigrations.current)
                }
                return
            }
            try db.execute("BEGIN")
            do {
                try db.execute("SELECT pg_advisory_xact_lock(\(PGMigrations.lockKey))")
                try migratePostgres(db, path: path)
                try db.execute(recoverLapsed)
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
        return archive
    }

    /// The schema version in `streamtape_meta`: 0 for a database without it (refused when it has
    /// an `exchanges` table of someone else's), and a newer version than ours refused.
    private static func pgVersion(_ db: PGConnection, path: String) throws -> Int {
        guard try db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'streamtape_meta'") == 1 else {
            if try db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'exchanges'") == 1 {
                throw ArchiveError.notAnArchive(path: path, reason: "an exchanges table without streamtape_meta: another program's")
            }
            return 0
        }
        let version = Int(try db.scalar("SELECT value::bigint FROM streamtape_meta WHERE key = 'version'") ?? 0)
        // A stored version below 1 (edited by hand) would make the migration step count negative.
        if version < 1 { throw ArchiveError.notAnArchive(path: path, reason: "schema version \(version)") }
        if version > PGMigrations.current {
            throw ArchiveError.newerVersion(path: path, version: version, supported: PGMigrations.current)
        }
        return version
    }

    /// Applies the migrations the database lacks (inside the caller's transaction).
    private static func migratePostgres(_ db: PGConnection, path: String) throws {
        let version = try pgVersion(db, path: path)
        guard version < PGMigrations.current else { return }
        if version == 0 { try db.execute("CREATE TABLE streamtape_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)") }
        for step in PGMigrations.all.dropFirst(version) { try db.execute(step) }
        try db.execute("""
            INSERT INTO streamtape_meta (key, value) VALUES ('version', '\(PGMigrations.current)')
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """)
    }

    /// Marks the exchanges of recorders that stopped proving they are alive as `interrupted`, with
    /// counts from their chunks, so they get derived like a crashed SQLite recorder's.
    static let recoverLapsed = markInterrupted(error: Heartbeat.lapsedError, larger: "greatest",
                                               where: StoreDialect.postgres.lapsed)
}
