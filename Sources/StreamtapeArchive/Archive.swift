import Foundation

/// A streamtape archive: exchanges, their chunks byte-exact, and their tags, in one SQLite file or
/// one PostgreSQL database (`ArchiveLocation`; the `StoreConnection` seam hides which).
///
/// `Archive.open` validates the file (an SQLite database carrying our application id and a format
/// version this build knows), upgrades it through `Migrations` when opened read-write, and recovers
/// from a crash by marking exchanges left in `recording` as `interrupted`. Readers (the inspector,
/// `list`, `show`, replay) open it read-only, so they never touch exchanges a live recorder is
/// writing. All writing goes through one `ArchiveWriter`, which has its own connection and thread.
///
/// An `Archive` is safe to share between threads: its reads take turns on one connection. Every
/// error it throws is an `ArchiveError` whose description is one line naming the file.
public final class Archive: @unchecked Sendable {
    /// The path as given, or a URI without its password: what messages name.
    public let path: String
    /// Where the archive lives.
    public let location: ArchiveLocation
    /// Whether this archive was opened read-only.
    public let isReadOnly: Bool

    /// Serializes use of `db` between threads.
    let lock = NSLock()
    /// The reading connection (read-write when opened so, for migrations and recovery).
    let db: any StoreConnection

    /// Wraps an opened connection; `open(path:readOnly:)` is the way in.
    init(location: ArchiveLocation, isReadOnly: Bool, db: any StoreConnection) {
        self.location = location; self.path = location.displayName; self.isReadOnly = isReadOnly; self.db = db
    }

    /// The newest archive format version this build reads and writes.
    public static var formatVersion: Int { Migrations.current }

    /// Runs `body` with the connection, turning database errors into `ArchiveError`s.
    func read<T>(_ body: (any StoreConnection) throws -> T) throws -> T {
        lock.lock(); defer { db.resetAll(); lock.unlock() }
        do { return try body(db) } catch { throw ArchiveError.from(error, path: path) }
    }
}
