import Foundation

/// Writes a command's output file (`export -o`). A regular file (or a new one) is replaced whole by a
/// rename, so nobody reads half of it; a symlink keeps pointing at the file it names. Anything else
/// (a FIFO, a terminal, `/dev/null`) is written in place: renaming over a device would replace it
/// with a regular file, for every program on the machine.
enum OutputFile {
    /// Writes `bytes` to `path`; failures are one line, exit 4.
    static func write(_ bytes: [UInt8], to path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {  // follows symlinks: what counts is what the path names
            switch info.st_mode & S_IFMT {
            case S_IFREG: try replace(URL(fileURLWithPath: path).resolvingSymlinksInPath().path, with: bytes, mode: info.st_mode & 0o7777)
            case S_IFDIR: throw failure(path, "is a folder")
            default: try writeInPlace(path, bytes)
            }
        } else {
            let mask = umask(0); umask(mask)
            try replace(path, with: bytes, mode: 0o666 & ~mask)
        }
    }

    private static func writeInPlace(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
    }

    /// Writes a temporary file beside `path` and renames it over `path`.
    private static func replace(_ path: String, with bytes: [UInt8], mode: mode_t) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.streamtape-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw failure(path, String(cString: strerror(errno))) }
        let temp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            defer { close(fd) }
            try writeAll(fd, bytes, path: path)
            guard fchmod(fd, mode) == 0 else { throw failure(path, String(cString: strerror(errno))) }
        } catch {
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw failure(path, reason)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure(path, String(cString: strerror(errno))) }
                done += n
            }
        }
    }

    private static func failure(_ path: String, _ reason: String) -> CLIError {
        CLIError.runtime("cannot write \(path): \(reason)")
    }
}
