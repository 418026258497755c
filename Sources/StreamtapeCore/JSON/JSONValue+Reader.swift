extension JSONValue {
    /// Parses `bytes` as one JSON value (surrounding whitespace allowed); nil when it is not JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBufferPointer { parse(buffer: $0) }
    }

    /// Parses `bytes` as one JSON value; nil when it is not JSON.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> JSONValue? {
        bytes.withUnsafeBufferPointer { parse(buffer: $0) }
    }

    /// Parses the UTF-8 of `text` as one JSON value; nil when it is not JSON (or empty).
    public static func parse(_ text: String) -> JSONValue? {
        var text = text
        return text.withUTF8 { parse(buffer: $0) }
    }

    /// Parses a whole buffer: one value and nothing after it but whitespace.
    static func parse(buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = JSONReader(bytes: buffer)
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        return reader.index == buffer.count ? value : nil
    }
}

/// A strict JSON reader over UTF-8 bytes (RFC 8259), hand-written for speed: every event of a stream
/// goes through it. Strings without escapes are made from the bytes in one step and must be valid UTF-8
/// (bytes that are not make the text not JSON, as for Foundation's reader: nothing is silently replaced);
/// numbers are checked against the grammar and kept as written; a lone surrogate escape reads as U+FFFD.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    /// Nesting deeper than this is refused (a stack guard, far beyond what any API sends).
    static let maxDepth = 512

    /// Skips JSON whitespace.
    @inline(__always) mutating func skipSpace() {
        while index < bytes.count {
            let b = bytes[index]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index += 1
        }
    }

    /// The value at `index`, or nil when the bytes there are not one.
    mutating func value() -> JSONValue? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { return nil }
        let w = word.utf8Start
        for k in 0..<n where bytes[index + k] != w[k] { return nil }
        index += n
        return value
    }

    @inline(__always) private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }

    private mutating func digits() -> Bool {
        let start = index
        while isDigit(index) { index += 1 }
        return index > start
    }

    private mutating func number() -> JSONValue? {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        guard digits() else { return nil }
        if bytes[intStart] == 0x30, index - intStart > 1 { return nil }   // no leading zeros
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() else { return nil }
        }
        var exponent = false
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() else { return nil }
            exponent = true
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // A magnitude beyond Double's range (1e400) is refused, as Foundation's reader refuses it; only an
        // exponent or a very long literal can get there, so the common number is never converted.
        if exponent || literal.utf8.count > 300, Double(literal)?.isFinite != true { return nil }
        return .number(literal)
    }

    /// A string at `index` (on its opening quote), unescaped.
    mutating func string() -> String? {
        index += 1
        let start = index
        var bits: UInt8 = 0   // every byte OR-ed: below 0x80 means ASCII, which needs no UTF-8 check
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                defer { index += 1 }
                return Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]), ascii: bits < 0x80)
            }
            if b == 0x5C { return escapedString(from: start) }
            if b < 0x20 { return nil }
            bits |= b
            index += 1
        }
        return nil
    }

    /// Text from UTF-8 bytes; nil when they are not UTF-8.
    @inline(__always) private static func text(_ b: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
        guard ascii || UTF8Check.isValid(b) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// The rest of a string that has escapes, from its first byte at `start` (`index` at a backslash).
    /// Runs between escapes are copied whole.
    private mutating func escapedString(from start: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 64)
        var run = start
        var bits: UInt8 = 0
        while index < bytes.count {
            let b = bytes[index]
            if b != 0x22, b != 0x5C {
                guard b >= 0x20 else { return nil }
                bits |= b
                index += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
            index += 1
            if b == 0x22 { return out.withUnsafeBufferPointer { Self.text($0, ascii: bits < 0x80) } }
            guard index < bytes.count else { return nil }
            let e = bytes[index]
            index += 1
            if let byte = JSONEscape.byte(for: e) {
                out.append(byte)
            } else {
                guard e == UInt8(ascii: "u"), let scalar = unicodeEscape() else { return nil }
                out.append(contentsOf: String(scalar).utf8)
                if scalar.value >= 0x80 { bits |= 0x80 }
            }
            run = index
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a surrogate pair written as two escapes.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard var code = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
            index += 2
            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        return Unicode.Scalar(code) ?? "\u{FFFD}"
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let v: UInt8
            switch b {
            case 0x30...0x39: v = b - 0x30
            case 0x41...0x46: v = b - 0x41 + 10
            case 0x61...0x66: v = b - 0x61 + 10
            default: return nil
            }
            code = code << 4 | UInt32(v)
            index += 1
        }
        return code
    }

    private mutating func array() -> JSONValue? {
        index += 1
        depth += 1; defer { depth -= 1 }
        guard depth <= Self.maxDepth else { return nil }
        var items: [JSONValue] = []
        items.reserveCapacity(4)   // one allocation for the short arrays streams carry (`choices`, `parts`)
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            guard let v = value() else { return nil }
            items.append(v)
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            return nil
        }
    }

    private mutating func object() -> JSONValue? {
        index += 1
        depth += 1; defer { depth -= 1 }
        guard depth <= Self.maxDepth else { return nil }
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(8)   // one allocation for a typical event object instead of a regrowth per doubling
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let v = value() else { return nil }
            members.append((key, v))
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            return nil
        }
    }
}
