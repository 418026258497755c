import Foundation
import Glibc
import StreamtapeCore

/// A `CaptureSink` writing each exchange as the next `NNN.tape.jsonl` of a folder (`replay
/// --record-misses --into FOLDER`): the cassette form of recorded misses, one readable file each.
///
/// Numbers are given in request order when an exchange begins, after the highest already in the
/// folder, from 001. Each file is written once, when its exchange ends, off the forwarding path:
/// to a new hidden file next to it (never through a symlink), then renamed into place, so a reader
/// never sees half a tape. `close()` waits for the exchanges still open and the writes still queued.
final class TapeFolderSink: CaptureSink, @unchecked Sendable { // pending and next guarded by lock
    private let folder: String
    private let lock = NSLock()
    private var pending: [Int64: Exchange] = [:]
    private var next: Int64
    private let queue = DispatchQueue(label: "streamtape.tape-folder")
    /// Entered when an exchange begins, left when its tape is on disk.
    private let unwritten = DispatchGroup()

    /// Creates the folder (and its parents) when missing; throws a `CLIError` when it cannot.
    init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw CLIError.runtime("cannot create \(folder): \(error.localizedDescription)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        next = (names.compactMap(Self.number).max() ?? 0) + 1
    }

    /// The NNN of an `NNN.tape.jsonl` name.
    private static func number(_ name: String) -> Int64? {
        guard name.hasSuffix(".tape.jsonl") else { return nil }
        return Int64(name.dropLast(".tape.jsonl".count))
    }

    func begin(startedMs: Int64, upstream: String, request: CapturedRequest, tags: [String]) throws -> Int64 {
        lock.withLock {
            let id = next
            next += 1
            unwritten.enter()
            pending[id] = Exchange(startedMs: startedMs, upstream: upstream, request: request, tags: tags)
            return id
        }
    }

    func response(_ id: Int64, _ response: CapturedResponse) { lock.withLock { pending[id]?.response = response } }

    func chunk(_ id: Int64, _ chunk: Chunk) { lock.withLock { pending[id]?.chunks.append(chunk) } }

    func end(_ id: Int64, _ end: ExchangeEnd) {
        guard var exchange = lock.withLock({ pending.removeValue(forKey: id) }) else { return }
        exchange.end = end
        let path = (folder as NSString).appendingPathComponent(String(format: "%03lld.tape.jsonl", id))
        let text = Tape.encode(exchange)
        queue.async { [unwritten] in
            Self.store(text, at: path)
            unwritten.leave()
        }
    }

    /// Waits (at most `grace` seconds) for open exchanges to end and be written, since a stopping server
    /// ends its last misses after it stops; writes any still open as `interrupted`; then waits for those.
    func close(grace: Double = 5) {
        guard unwritten.wait(timeout: .now() + grace) == .timedOut else { return }
        for (id, exchange) in lock.withLock({ pending }) {
            let at = exchange.chunks.last?.offsetNs ?? exchange.response?.offsetNs ?? 0
            end(id, ExchangeEnd(offsetNs: at, state: .interrupted, error: "replay stopped before the exchange ended"))
        }
        queue.sync {}
    }

    /// Writes `text` to a fresh hidden file beside `path`, then renames it over `path`.
    private static func store(_ text: String, at path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(getpid()).partial")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return fail(path, String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        Glibc.close(fd)
        guard written == bytes.count, synced, rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            return fail(path, reason)
        }
    }

    private static func fail(_ path: String, _ reason: String) {
        FileHandle.standardError.write(Data("error: cannot write \(path): \(reason)\n".utf8))
    }
}
