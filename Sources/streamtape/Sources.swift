import Foundation
import StreamtapeCore

/// What a SOURCE argument names: an exchange id in the archive, or a capture file.
enum CaptureRef {
    case archived(Int64)
    case file(String)

    /// Reads `SOURCE`: all digits is an archive id, anything else a path.
    init(_ text: String) {
        if let id = Int64(text), !text.isEmpty, text.allSatisfy(\.isNumber) { self = .archived(id) } else { self = .file(text) }
    }
}

/// Loads capture files: tapes (`*.tape.jsonl`), raw SSE bodies (`.sse`) and raw NDJSON bodies (`.ndjson`).
enum CaptureFiles {
    /// The kinds of file streamtape reads.
    enum Kind { case tape, sse, ndjson }

    /// Decides a file's kind from its name, then from its first bytes; nil when it is none of them
    /// (a README, a binary file, an empty file without a capture's extension).
    static func kind(of path: String, bytes: [UInt8]) -> Kind? {
        if path.hasSuffix(".ndjson") || (path.hasSuffix(".jsonl") && !path.hasSuffix(".tape.jsonl") && !looksLikeTape(bytes)) { return .ndjson }
        if path.hasSuffix(".sse") { return .sse }
        if path.hasSuffix(".tape.jsonl") || looksLikeTape(bytes) { return .tape }
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
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.unreadable("\(path): cannot be read") }
        return [UInt8](data)
    }

    /// Loads one capture file as an exchange.
    static func load(_ path: String) throws -> Exchange {
        let bytes = try read(path)
        guard let kind = kind(of: path, bytes: bytes) else {
            throw CLIError.unreadable(bytes.isEmpty ? "\(path): empty file, not a capture"
                : "\(path): not a capture (expected a tape (.tape.jsonl), an SSE body (.sse) or NDJSON (.ndjson))")
        }
        switch kind {
        case .tape:
            do { return try Tape.decode(bytes) } catch let e as Tape.FormatError {
                throw CLIError.unreadable(e.line > 0 ? "\(path):\(e.line): \(e.reason)" : "\(path): \(e.reason)")
            }
        case .sse: return RawBody.exchange(bytes, ndjson: false, startedMs: modifiedMs(path), note: fileName(path))
        case .ndjson: return RawBody.exchange(bytes, ndjson: true, startedMs: modifiedMs(path), note: fileName(path))
        }
    }

    private static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }

    private static func modifiedMs(_ path: String) -> Int64 {
        let date = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
