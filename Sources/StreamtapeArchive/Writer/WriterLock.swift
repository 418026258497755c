import Foundation

/// An advisory `flock` on the archive file that marks "a writer is live here".
///
/// Exchange ids are allocated in memory, so two writers on one file would collide, and crash
/// recovery must not mark a live recorder's exchanges `interrupted`. `flock` locks are independent
/// of the `fcntl` locks SQLite itself takes (on local Linux and macOS file systems), and the kernel
/// drops them when the process dies, so a kill -9 never leaves a stale lock behind.
final class WriterLock {
    private let fd: Int32

    /// Takes the lock exclusively; throws `inUse` when another writer holds it.
    init(path: String) throws {
        fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError.cannotOpen(path: path, detail: String(cString: strerror(errno))) }
        // A read-write `Archive.open` elsewhere probes with a brief shared lock: ride that out.
        for attempt in 0..<20 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
            if attempt < 19 { usleep(5_000) }
        }
        Foundation.close(fd)
        throw ArchiveError.inUse(path: path)
    }

    deinit { release() }

    private var released = false

    /// Drops the lock.
    func release() {
        guard !released else { return }
        released = true
        Foundation.close(fd)
    }

    /// Whether some writer (in this process or another) holds the lock on `path` right now.
    static func isHeld(path: String) -> Bool {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Foundation.close(fd) }
        return flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }
}

extension Archive {
    /// Whether a live `ArchiveWriter` (a recorder, an import) holds the archive at `path` right now.
    public static func hasLiveWriter(path: String) -> Bool { WriterLock.isHeld(path: path) }
}
