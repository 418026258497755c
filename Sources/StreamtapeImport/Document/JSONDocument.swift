import StreamtapeCore

/// Reads JSON (vcrpy's JSON serializer, HAR) into a `DocNode` tree: RFC 8259, keys in order, lines kept.
///
/// Foundation's `JSONSerialization` loses key order (header order matters here) and says little
/// about where a syntax error is; this small recursive-descent reader keeps both.
struct JSONDocument {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var depth = 0

    /// The deepest nesting accepted: deeper input is an error, not a stack overflow.
    static let maxDepth = 512

    /// Parses a whole JSON document.
    static func parse(_ bytes: [UInt8]) throws(ImportError) -> DocNode {
        var p = JSONDocument(bytes: bytes)
        p.skipSpace()
        if p.i == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3; p.skipSpace() }
        let node = try p.value()
        p.skipSpace()
        guard p.i == bytes.count else { throw p.fail("unexpected text after the JSON document") }
        return node
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ what: String) -> ImportError { ImportError(line: line, "not valid JSON: \(what)") }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x0A: line += 1; i += 1
            case 0x20, 0x09, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func value() throws(ImportError) -> DocNode {
        guard i < bytes.count else { throw fail("the document ends early") }
        let at = line
        switch bytes[i] {
        case UInt8(ascii: "{"): return DocNode(value: try object(), line: at)
        case UInt8(ascii: "["): return DocNode(value: try array(), line: at)
        case UInt8(ascii: "\""): return DocNode(value: .string(try string()), line: at)
        case UInt8(ascii: "t"): try literal("true"); return DocNode(value: .bool(true), line: at)
        case UInt8(ascii: "f"): try literal("false"); return DocNode(value: .bool(false), line: at)
        case UInt8(ascii: "n"): try literal("null"); return DocNode(value: .null, line: at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return DocNode(value: try number(), line: at)
        default: throw fail("unexpected character '\(Unicode.Scalar(bytes[i]).escaped(asASCII: true))'")
        }
    }

    private mutating func nest() throws(ImportError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nested deeper than \(Self.maxDepth) levels") }
    }

    private mutating func object() throws(ImportError) -> DocNode.Value {
        try nest(); defer { depth -= 1 }
        i += 1
        var pairs: [(key: String, value: DocNode)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .map(pairs) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            skipSpace()
            pairs.append((key: key, value: try value()))
            skipSpace()
            guard i < bytes.count else { throw fail("the document ends inside an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .map(pairs) }
            throw fail("expected ',' or '}' in an object")
        }
    }

    private mutating func array() throws(ImportError) -> DocNode.Value {
        try nest(); defer { depth -= 1 }
        i += 1
        var items: [DocNode] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < bytes.count else { throw fail("the document ends inside a list") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            throw fail("expected ',' or ']' in a list")
        }
    }

    private mutating func literal(_ word: String) throws(ImportError) {
        let w = Array(word.utf8)
        guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("unexpected word (expected \(word))") }
        i += w.count
    }

    private mutating func number() throws(ImportError) -> DocNode.Value {
        let start = i
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if let n = Int(text) { return .int(n) }
        guard let d = Double(text), d.isFinite else { throw fail("bad number \(text)") }
        return .float(d)
    }

    private mutating func string() throws(ImportError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("the document ends inside a string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw fail("a control character inside a string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < bytes.count else { throw fail("the document ends inside a string") }
            let e = bytes[i + 1]
            i += 2
            if let byte = JSONEscape.byte(for: e) {
                out.append(byte)
            } else if e == UInt8(ascii: "u") {
                out.append(contentsOf: Array(String(try unicodeEscape()).utf8))
            } else {
                throw fail("bad escape in a string")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not UTF-8") }
        return s
    }

    /// The character of `\uXXXX` (the `\u` already read), joining a surrogate pair; a lone
    /// surrogate, which no UTF-8 text can hold, becomes U+FFFD.
    private mutating func unicodeEscape() throws(ImportError) -> Character {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high), bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
            let save = i
            i += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
                return Character(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!)
            }
            i = save
        }
        return Character(Unicode.Scalar(high) ?? "\u{FFFD}")
    }

    private mutating func hex4() throws(ImportError) -> UInt32 {
        guard bytes.count - i >= 4, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("bad \\u escape")
        }
        i += 4
        return v
    }
}
