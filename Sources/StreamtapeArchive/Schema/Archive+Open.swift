import Foundation

extension Archive {
    /// Opens the archive at `path`. Read-write (the default) creates the file when missing,
    /// owner-only (0600; SQLite gives the `-wal` and `-shm` files the same mode), and its folder
    /// (0700) only when `createFolder`; applies migrations, and marks exchanges still `recording` as
    /// `interrupted` unless a live `ArchiveWriter` holds the file. Read-only requires an existing
    /// archive of the current version. Only a regular file is opened (`ArchivePath` says why not).
    /// Throws `ArchiveError` (not an archive, newer version, corrupt, cannot open).
    /// A libpq URI (`postgres://`, `postgresql://`) opens a PostgreSQL database instead (`openPostgres`).
    public static func open(path: String, readOnly: Bool = false, createFolder: Bool = false) throws -> Archive {
        if case .postgres(let uri) = ArchiveLocation(path) { return try openPostgres(uri: uri, readOnly: readOnly) }
        if let problem = ArchivePath.problem(path, writing: !readOnly, createFolder: createFolder) {
            throw ArchiveError.cannotOpen(path: path, detail: problem)
        }
        if readOnly {
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            if size == 0 { throw ArchiveError.notAnArchive(path: path, reason: "empty file") }
        } else {
            try createOwnerOnly(path)
        }
        let db: Connection
        do {
            db = try Connection(path: path, mode: readOnly ? .readOnly : .readWrite)
        } catch {
            throw ArchiveError.cannotOpen(path: path, detail: error.message)
        }
        db.setBusyTimeout(milliseconds: 5000)
        let archive = Archive(location: .file(path), isReadOnly: readOnly, db: db)
        try archive.read { _ in
            let state = try Self.inspect(db, path: path)
            if readOnly {
                if state.version == 0 { throw ArchiveError.notAnArchive(path: path, reason: "empty database") }
                if state.version < Migrations.current {
                    throw ArchiveError.needsUpgrade(path: path, version: state.version, supported: Migrations.current)
                }
                return
            }
            try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            try migrate(db, path: path)
            // A live writer (a recorder, in this process or another) owns its `recording` rows.
            if !WriterLock.isHeld(path: path) { try recoverInterrupted(db) }
        }
        return archive
    }

    /// Creates the folder (0700) and the file (0600) when missing; an existing file keeps its mode.
    private static func createOwnerOnly(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw ArchiveError.cannotOpen(path: path, detail: "cannot create folder \(folder)")
            }
        }
        // Created here rather than by SQLite so the mode is 0600 whatever the umask; no O_TRUNC.
        let fd = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ArchiveError.cannotOpen(path: path, detail: String(cString: strerror(errno))) }
        close(fd)
    }

    /// What an opened file turned out to be.
    private struct FileState { var version: Int }

    /// Reads the header and schema, and rejects files that are not (or not yet) ours.
    private static func inspect(_ db: Connection, path: String) throws -> FileState {
        // The first read of the header is where SQLite notices a non-database or a damaged file.
        let version = try storedVersion(db, path: path)
        let appID = try db.scalar("PRAGMA application_id") ?? 0
        let tables = try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'") ?? 0
        let hasExchanges = (try db.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'exchanges'") ?? 0) > 0
        if appID != 0 && appID != Migrations.applicationID {
            throw ArchiveError.notAnArchive(path: path, reason: "another program's SQLite database, application id \(appID)")
        }
        if version == 0 {
            if tables == 0 { return FileState(version: 0) }
            throw ArchiveError.notAnArchive(path: path, reason: hasExchanges ? "no format version" : "no exchanges table")
        }
        if appID != Migrations.applicationID {
            throw ArchiveError.notAnArchive(path: path, reason: "SQLite database without the streamtape application id")
        }
        if version > Migrations.current {
            throw ArchiveError.newerVersion(path: path, version: version, supported: Migrations.current)
        }
        if !hasExchanges { throw ArchiveError.notAnArchive(path: path, reason: "no exchanges table") }
        if version == Migrations.current {
            for (table, wanted) in Migrations.columns.sorted(by: { $0.key < $1.key }) {
                let info = try db.prepare("SELECT name FROM pragma_table_info(?1)")
                try info.bind(1, table)
                var have: Set<String> = []
                while try info.step() { have.insert(info.text(0)) }
                if let missing = wanted.first(where: { !have.contains($0) }) {
                    throw ArchiveError.corrupt(path: path, detail: "table \(table) has no column \(missing) (schema version \(version))")
                }
            }
        }
        return FileState(version: version)
    }

    /// `PRAGMA user_version`; a negative one (no streamtape writes it) is not an archive.
    private static func storedVersion(_ db: Connection, path: String) throws -> Int {
        let version = Int(try db.scalar("PRAGMA user_version") ?? 0)
        guard version >= 0 else { throw ArchiveError.notAnArchive(path: path, reason: "format version \(version)") }
        return version
    }

    /// Applies the migrations the file lacks, in one transaction.
    private static func migrate(_ db: Connection, path: String) throws {
        try db.execute("BEGIN IMMEDIATE")
        do {
            // Read again under the write lock: another process may have migrated meanwhile.
            let version = try storedVersion(db, path: path)
            if version > Migrations.current {
                throw ArchiveError.newerVersion(path: path, version: version, supported: Migrations.current)
            }
            for step in Migrations.all.dropFirst(version) { try db.execute(step) }
            if version < Migrations.current {
                try db.execute("PRAGMA user_version = \(Migrations.current); PRAGMA application_id = \(Migrations.applicationID)")
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Marks exchanges a crashed recorder left open as `interrupted`, with counts from their chunks.
    private static func recoverInterrupted(_ db: Connection) throws {
        try db.execute(markInterrupted(error: "the recorder stopped before the exchange ended", larger: "max",
                                       where: "end_state = 'recording'"))
    }

    /// The one UPDATE that marks unfinished exchanges `interrupted` (both backends): end state, the
    /// error unless one is stored, counts and end offset from their chunks, and to be derived again.
    /// `larger` is the database's two-argument maximum (`max` in SQLite, `greatest` in PostgreSQL).
    static func markInterrupted(error: String, larger: String, where condition: String) -> String {
        """
        UPDATE exchanges SET
            end_state = 'interrupted',
            derived = 0,
            error = coalesce(error, '\(error)'),
            chunks = coalesce((SELECT max(seq) + 1 FROM chunks c WHERE c.exchange_id = exchanges.id), 0),
            bytes = coalesce((SELECT start_byte + length(bytes) FROM chunks c
                              WHERE c.exchange_id = exchanges.id ORDER BY seq DESC LIMIT 1), 0),
            first_chunk_ns = (SELECT offset_ns FROM chunks c WHERE c.exchange_id = exchanges.id ORDER BY seq LIMIT 1),
            end_offset_ns = \(larger)(coalesce(response_offset_ns, 0),
                                coalesce((SELECT offset_ns FROM chunks c WHERE c.exchange_id = exchanges.id
                                          ORDER BY seq DESC LIMIT 1), 0))
        WHERE \(condition)
        """
    }
}
