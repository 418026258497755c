import Foundation
import StreamtapeCore
import StreamtapeImport

/// Loads capture files: tapes (`*.tape.jsonl`), raw SSE bodies (`.sse`), raw NDJSON bodies (`.ndjson`),
/// VCR cassettes (`.yaml`, `.yml`, vcrpy's `.json`) and HAR (`.har`).
enum CaptureFiles {
    /// The kinds of file streamtape reads (`import --format` names them).
    enum Kind: String, CaseIterable { case tape, sse, ndjson, cassette, har }

    /// Decides a file's kind from its name, then from its first bytes; nil when it is none of them
    /// (a README, a binary file, an empty file without a capture's extension).
    static func kind(of path: String, bytes: [UInt8]) -> Kind? {
        let lower = path.lowercased()
        if lower.hasSuffix(".har") { return .har }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .cassette }
        if path.hasSuffix(".ndjson") || (path.hasSuffix(".jsonl") && !path.hasSuffix(".tape.jsonl") && !looksLikeTape(bytes)) { return .ndjson }
        if path.hasSuffix(".sse") { return .sse }
        if path.hasSuffix(".tape.jsonl") || looksLikeTape(bytes) { return .tape }
        // `.json` is vcrpy's JSON serializer or a HAR saved under another name: the content decides.
        if let foreign = sniffForeign(bytes) { return foreign }
        if lower.hasSuffix(".json") { return .cassette }
        return sniff(bytes)
    }

    /// A file without a capture's extension is read as a body only when its first line is an SSE field
    /// or comment (`data:`, `event:`, `id:`, `retry:`, `:`), or a JSON object (NDJSON), in UTF-8.
    private static func sniff(_ bytes: [UInt8]) -> Kind? {
        let head = bytes.prefix(4096)
        guard !head.contains(0), let text = String(validating: head.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self) else { return nil }
        let line = text.drop { $0 == " " || $0 == "\u{FEFF}" }
        if line.hasPrefix("{") { return .ndjson }
        if line.hasPrefix(":") || ["data", "event", "id", "retry"].contains(where: { line.hasPrefix($0 + ":") || line == $0 }) { return .sse }
        return nil
    }

    /// A HAR (`{"log": …`) or a vcrpy cassette (`{"interactions": …`, or YAML starting `interactions:`
    /// or `version:`), from the first bytes.
    private static func sniffForeign(_ bytes: [UInt8]) -> Kind? {
        let head = String(decoding: bytes.prefix(256), as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if head.hasPrefix("{") {
            let key = head.dropFirst().drop(while: \.isWhitespace)
            if key.hasPrefix("\"log\"") { return .har }
            if key.hasPrefix("\"interactions\"") || key.hasPrefix("\"version\"") { return .cassette }
        }
        if head.hasPrefix("interactions:") || head.hasPrefix("version:") { return .cassette }
        return nil
    }

    private static func looksLikeTape(_ bytes: [UInt8]) -> Bool {
        Array(bytes.prefix(14)) == Array("{\"streamtape\":".utf8)
    }

    /// Reads a file whole, with a one-line error (exit 3) when it cannot be read.
    static func read(_ path: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CLIError.unreadable("\(path): no such file")
        }
        if isDir.boolValue { throw CLIError.unreadable("\(path): is a folder, not a capture file") }
        if let bytes = readRegularFile(path) { return bytes }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.unreadable("\(path): cannot be read") }
        return [UInt8](data)
    }

    /// A regular file's bytes read straight into one array of its size (no `Data` copied after); nil for
    /// anything else (a FIFO, a device), which `FileManager` reads to its end instead.
    private static func readRegularFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let n = Foundation.read(fd, buffer.baseAddress! + count, size - count)
                guard n > 0 else { complete = n == 0 && count == size; break }
                count += n
            }
        }
        // A file that shrank or failed while being read is read again the slow way, which reports it.
        return complete && bytes.count == size ? bytes : nil
    }

    /// Loads one capture file as an exchange; a cassette or HAR must hold exactly one.
    static func load(_ path: String) throws -> Exchange {
        let all = try loadAll(path)
        guard all.count == 1 else {
            throw CLIError.unreadable("\(path): holds \(all.count) exchanges; import it and name one by id")
        }
        return all[0]
    }

    /// Loads every exchange of a capture file, all or nothing; `format` forces the kind.
    static func loadAll(_ path: String, format: Kind? = nil) throws -> [Exchange] {
        let bytes = try read(path)
        guard let kind = format ?? kind(of: path, bytes: bytes) else {
            throw CLIError.unreadable(bytes.isEmpty ? "\(path): empty file, not a capture"
                : "\(path): not a capture (expected a tape (.tape.jsonl), an SSE body (.sse), NDJSON (.ndjson), a VCR cassette (.yaml) or HAR (.har))")
        }
        do {
            switch kind {
            case .cassette: return try CassetteReader.read(bytes, fallbackStartMs: modifiedMs(path))
            case .har: return try HARReader.read(bytes)
            case .tape: return [try Tape.decode(bytes)]
            case .sse: return [RawBody.exchange(bytes, ndjson: false, startedMs: modifiedMs(path), note: fileName(path))]
            case .ndjson: return [RawBody.exchange(bytes, ndjson: true, startedMs: modifiedMs(path), note: fileName(path))]
            }
        } catch let e as ImportError {
            throw CLIError.unreadable(e.line.map { "\(path):\($0): \(e.reason)" } ?? "\(path): \(e.reason)")
        } catch let e as Tape.FormatError {
            throw CLIError.unreadable(e.line > 0 ? "\(path):\(e.line): \(e.reason)" : "\(path): \(e.reason)")
        }
    }

    private static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }

    private static func modifiedMs(_ path: String) -> Int64 {
        let date = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
