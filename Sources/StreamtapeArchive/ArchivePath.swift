import Foundation

/// Why a path cannot hold an archive, in words, checked before SQLite sees it: SQLite's own messages
/// ("disk I/O error", "unable to open database file") name neither the path nor the cause, and on a
/// device it would put its `-wal` and `-shm` files beside it.
enum ArchivePath {
    /// nil when `path` can be opened: an existing regular file (readable, and writable when
    /// `writing`), or, when `writing`, a new name in a folder that exists (or will be created, when
    /// `createFolder`). Otherwise the reason, e.g. "is a folder, not an archive file".
    static func problem(_ path: String, writing: Bool, createFolder: Bool) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let missing = errno == ENOENT
            guard missing else { return String(cString: strerror(errno)) }
            if !writing { return "no such file" }
            return createFolder ? nil : folderProblem((path as NSString).deletingLastPathComponent)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "is a folder, not an archive file"
        default: return "is not a regular file"
        }
        if access(path, writing ? (R_OK | W_OK) : R_OK) != 0 {
            return writing ? "cannot be written (\(String(cString: strerror(errno))))" : "cannot be read (\(String(cString: strerror(errno))))"
        }
        return nil
    }

    /// Why a new archive cannot be created in `folder` ("" is the working folder).
    private static func folderProblem(_ folder: String) -> String? {
        let folder = folder.isEmpty ? "." : folder
        var info = stat()
        guard stat(folder, &info) == 0 else { return "folder \(folder) does not exist" }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(folder) is not a folder" }
        guard access(folder, W_OK | X_OK) == 0 else { return "folder \(folder) cannot be written" }
        return nil
    }
}
