import Foundation
import StreamtapeArchive
import StreamtapeCore

/// Loads what `streamtape replay` serves, in recorded order. The one place sources are read.
///
/// A SOURCE is a tape (`*.tape.jsonl`), a bare body (`.sse`, `.ndjson`: one chunk at t=0 and no
/// recorded request, so it answers any request), a VCR cassette or HAR file (every interaction or entry,
/// timing unknown), a folder (its tapes and bodies, sorted by name), or
/// an archive (`.sqlite`/`.db`, or any SQLite file): all its exchanges, or those picked by `--exchange`
/// / `--tag`. Exchanges still recording are left out. Finding none (or an empty folder) is an error
/// unless `allowEmpty` (record-on-miss starts from nothing).
func loadReplaySources(_ paths: [String], exchange: Int64?, tag: String?, allowEmpty: Bool = false) throws -> [Exchange] {
    var out: [Exchange] = []
    var sawArchive = false
    for path in paths {
        if ArchiveLocation(path).isPostgres {
            sawArchive = true
            out += try archiveExchanges(path, exchange: exchange, tag: tag, allowEmpty: allowEmpty)
            continue
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.unreadable("\(path): no such file or folder")
        }
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                .filter { $0.hasSuffix(".tape.jsonl") || $0.hasSuffix(".sse") || $0.hasSuffix(".ndjson") }
            if names.isEmpty, !allowEmpty { throw CLIError.unreadable("\(path): no tapes (.tape.jsonl, .sse, .ndjson) in this folder") }
            out += try names.map { try CaptureFiles.load((path as NSString).appendingPathComponent($0)) }
        } else if isArchive(path) {
            sawArchive = true
            out += try archiveExchanges(path, exchange: exchange, tag: tag, allowEmpty: allowEmpty)
        } else if [".tape.jsonl", ".jsonl", ".sse", ".ndjson"].contains(where: { path.hasSuffix($0) }) {
            out.append(try CaptureFiles.load(path))
        } else if [".yaml", ".yml", ".har"].contains(where: { path.lowercased().hasSuffix($0) }) {
            out += try CaptureFiles.loadAll(path)
        } else {
            throw CLIError.unreadable("\(path): not a replay source (expected a tape (.tape.jsonl), a .sse or .ndjson body, a VCR cassette (.yaml), a HAR file, a folder or an archive)")
        }
    }
    if (exchange != nil || tag != nil) && !sawArchive {
        throw CLIError(description: "--exchange and --tag pick exchanges from an archive; no SOURCE is an archive", code: 2)
    }
    out.removeAll { $0.end == nil || $0.end?.state == .inProgress }
    if out.isEmpty, !allowEmpty { throw CLIError.unreadable("nothing to replay: the sources hold no finished exchange") }
    return out
}

/// Whether a file is an SQLite archive: by extension, else by the SQLite file header.
private func isArchive(_ path: String) -> Bool {
    if path.hasSuffix(".sqlite") || path.hasSuffix(".db") { return true }
    guard let h = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? h.close() }
    let head = (try? h.read(upToCount: 16)) ?? Data()
    return head == Data("SQLite format 3\u{0}".utf8)
}

private func archiveExchanges(_ path: String, exchange: Int64?, tag: String?, allowEmpty: Bool) throws -> [Exchange] {
    let archive = try ArchiveAccess.openForReading(path: path)
    return try ArchiveAccess.wrap {
        if let exchange { return [try archive.exchange(id: exchange)] }
        let ids: [Int64]
        if let tag {
            ids = try archive.exchangeIDs(tag: tag)
            if ids.isEmpty, !allowEmpty { throw CLIError.unreadable("no exchange tagged \(tag) in \(ArchiveLocation(path).displayName)") }
        } else {
            ids = try archive.summaries(limit: Int.max, offset: 0).map(\.summary.id)
        }
        return try ids.map { try archive.exchange(id: $0) }
    }
}
