/// Checks what a server wrote to one client: consecutive HTTP/1.1 responses, each with a valid status
/// line, header lines without stray CR or LF, and a body framed by exactly one of `content-length`,
/// chunked coding or the connection's end. The last response may stop short (a stream cut or still
/// under way); everything before it must be complete.
public enum HTTPResponses {
    /// What was wrong, and where.
    public struct Malformed: Error, CustomStringConvertible {
        /// The reason and the byte offset.
        public let description: String
    }

    /// The status codes of the responses in `bytes` (1xx interim answers included), answering
    /// requests whose methods were `methods` in order; throws on the first malformed byte.
    public static func statuses(_ bytes: [UInt8], methods: [String]) throws(Malformed) -> [Int] {
        var reader = Reader(bytes: bytes)
        var statuses: [Int] = []
        var answered = 0
        while !reader.atEnd {
            guard let head = try reader.head() else { return statuses }
            statuses.append(head.status)
            if head.status < 200 { continue }
            let method = answered < methods.count ? methods[answered] : "GET"
            answered += 1
            if method == "HEAD" || head.status == 204 || head.status == 304 { continue }
            let lengths = head.values("content-length")
            let chunked = head.values("transfer-encoding").contains { $0.lowercased().contains("chunked") }
            if chunked, !lengths.isEmpty { throw reader.fail("both content-length and chunked") }
            if chunked {
                guard try reader.chunkedBody() else { return statuses }
            } else if let text = lengths.first {
                guard lengths.count == 1, let n = Int(text), n >= 0 else { throw reader.fail("content-length \(lengths)") }
                guard reader.skip(n) else { return statuses }
            } else {
                reader.skipToEnd()   // framed by the end of the connection
            }
        }
        return statuses
    }

    private struct Head {
        var status: Int
        var fields: [(String, String)]
        func values(_ name: String) -> [String] { fields.filter { $0.0.lowercased() == name }.map(\.1) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0
        var atEnd: Bool { at >= bytes.count }

        func fail(_ why: String) -> Malformed { Malformed(description: "\(why) at byte \(at)") }

        /// The next CRLF-terminated line, or nil when the bytes stop first.
        mutating func line() -> [UInt8]? {
            var i = at
            while i + 1 < bytes.count, !(bytes[i] == 0x0D && bytes[i + 1] == 0x0A) { i += 1 }
            guard i + 1 < bytes.count else { return nil }
            defer { at = i + 2 }
            return Array(bytes[at..<i])
        }

        mutating func head() throws(Malformed) -> Head? {
            guard let first = line() else { return nil }
            let status = String(decoding: first, as: UTF8.self)
            let parts = status.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0", parts[1].count == 3,
                  let code = Int(parts[1]), code >= 100 else { throw fail("status line \(status.debugDescription)") }
            var fields: [(String, String)] = []
            while true {
                guard let l = line() else { return nil }
                if l.isEmpty { return Head(status: code, fields: fields) }
                guard let colon = l.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                      l[..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
                      !l.contains(0x0D), !l.contains(0x0A) else {
                    throw fail("header line \(String(decoding: l, as: UTF8.self).debugDescription)")
                }
                let value = String(decoding: l[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: " \t")
                fields.append((String(decoding: l[..<colon], as: UTF8.self), value))
            }
        }

        mutating func skip(_ n: Int) -> Bool {
            guard bytes.count - at >= n else { at = bytes.count; return false }
            at += n
            return true
        }

        mutating func skipToEnd() { at = bytes.count }

        /// Chunks up to the last one and the trailers; false when the bytes stop first.
        mutating func chunkedBody() throws(Malformed) -> Bool {
            while true {
                guard let l = line() else { return false }
                let size = String(decoding: l, as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
                guard !size.isEmpty, let n = Int(size, radix: 16), n >= 0 else { throw fail("chunk size \(size.debugDescription)") }
                if n == 0 { break }
                guard skip(n) else { return false }
                guard let end = line() else { return false }
                guard end.isEmpty else { throw fail("chunk longer than its size") }
            }
            while true {
                guard let trailer = line() else { return false }
                if trailer.isEmpty { return true }
            }
        }
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
