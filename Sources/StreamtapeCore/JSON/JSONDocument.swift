#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON text read into one flat list of nodes: the one JSON reader of the core.
///
/// Reading checks the whole text (RFC 8259, strict: strings must be UTF-8, numbers follow the grammar,
/// nesting stops at `maxDepth`) but builds no tree: each value is a `JSONNode` holding where its bytes
/// are, and a string is made only when someone reads it (`JSONView`). A document is scratch space meant
/// to be reused: reading the next text keeps the arrays' capacity, so a stream's events are read with
/// no allocation per event. `JSONValue.parse` builds its tree from a document.
struct JSONDocument: Sendable {
    /// The nodes in document order; a container's members follow it, up to its `next`.
    private(set) var nodes: [JSONNode] = []
    /// Strings that had escapes, decoded while reading (a `.escapedString` node's `extra`).
    private(set) var unescaped: [String] = []

    /// Nesting deeper than this is refused (a stack guard, far beyond what any API sends).
    static let maxDepth = 512

    /// Reads `text` and calls `body` with its root, or with nil when `text` is not one JSON value.
    /// The view is valid only inside `body`.
    @inline(__always)
    mutating func withRoot<R>(of text: String, _ body: (JSONView?) throws -> R) rethrows -> R {
        var text = text
        return try text.withUTF8 { try withRoot(of: $0, body) }
    }

    /// Reads `bytes` and calls `body` with its root, or with nil when the bytes are not one JSON value.
    /// The view is valid only inside `body`.
    @inline(__always)
    mutating func withRoot<R>(of bytes: UnsafeBufferPointer<UInt8>, _ body: (JSONView?) throws -> R) rethrows -> R {
        guard read(bytes) else { return try body(nil) }
        return try nodes.withUnsafeBufferPointer { nodes in
            try unescaped.withUnsafeBufferPointer { strings in
                try body(JSONView(bytes: bytes, nodes: nodes, unescaped: strings, index: 0))
            }
        }
    }

    /// Reads a whole buffer: one value and nothing after it but whitespace. False when it is not JSON.
    mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        nodes.removeAll(keepingCapacity: true)
        unescaped.removeAll(keepingCapacity: true)
        var scanner = JSONScanner(bytes: bytes)
        let ok = scanner.value(into: &self)
        scanner.skipSpace()
        return ok && scanner.index == bytes.count
    }

    /// Adds a node and returns its index.
    @inline(__always)
    fileprivate mutating func append(_ node: JSONNode) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    /// Closes the container at `index`: its subtree ends here, at byte `end`, with `count` members.
    @inline(__always)
    fileprivate mutating func close(_ index: Int, end: Int, count: Int) {
        nodes[index].end = end
        nodes[index].next = nodes.count
        nodes[index].extra = count
    }

    /// Keeps a decoded string and returns its position.
    fileprivate mutating func keep(_ string: String) -> Int {
        unescaped.append(string)
        return unescaped.count - 1
    }
}

/// One value of a `JSONDocument`.
struct JSONNode: Sendable {
    /// What the value is.
    enum Kind: UInt8, Sendable { case null, `true`, `false`, number, string, escapedString, array, object }

    /// What the value is.
    var kind: Kind
    /// First byte: a string's first byte after its quote, a number's first byte, a container's bracket.
    var start: Int
    /// Byte after the value: a string's closing quote, a number's end, after a container's bracket.
    var end: Int
    /// Index of the first node after this value's subtree.
    var next: Int
    /// Containers: the member count (an object's members are key and value pairs); an escaped string:
    /// its index in `unescaped`.
    var extra: Int
}

/// The checking reader behind `JSONDocument`: walks the bytes once, appending nodes.
private struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Skips JSON whitespace.
    @inline(__always) mutating func skipSpace() {
        while index < bytes.count {
            let b = bytes[index]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index += 1
        }
    }

    /// Reads the value at `index`; false when the bytes there are not one.
    mutating func value(into doc: inout JSONDocument) -> Bool {
        skipSpace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(into: &doc)
        case UInt8(ascii: "["): return array(into: &doc)
        case UInt8(ascii: "\""): return string(into: &doc)
        case UInt8(ascii: "t"): return literal("true", .true, into: &doc)
        case UInt8(ascii: "f"): return literal("false", .false, into: &doc)
        case UInt8(ascii: "n"): return literal("null", .null, into: &doc)
        default: return number(into: &doc)
        }
    }

    private mutating func leaf(_ kind: JSONNode.Kind, start: Int, end: Int, extra: Int = 0, into doc: inout JSONDocument) {
        _ = doc.append(JSONNode(kind: kind, start: start, end: end, next: doc.nodes.count + 1, extra: extra))
    }

    private mutating func literal(_ word: StaticString, _ kind: JSONNode.Kind, into doc: inout JSONDocument) -> Bool {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where bytes[index + k] != w[k] { return false }
        leaf(kind, start: index, end: index + n, into: &doc)
        index += n
        return true
    }

    @inline(__always) private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }

    private mutating func digits() -> Bool {
        let start = index
        while isDigit(index) { index += 1 }
        return index > start
    }

    private mutating func number(into doc: inout JSONDocument) -> Bool {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        guard digits() else { return false }
        if bytes[intStart] == 0x30, index - intStart > 1 { return false }   // no leading zeros
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() else { return false }
        }
        var exponent = false
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() else { return false }
            exponent = true
        }
        // A magnitude beyond Double's range (1e400) is refused, as Foundation's reader refuses it; only an
        // exponent or a very long literal can get there, so the common number is never converted.
        if exponent || index - start > 300 {
            let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard Double(literal)?.isFinite == true else { return false }
        }
        leaf(.number, start: start, end: index, into: &doc)
        return true
    }

    /// Moves `index` over bytes that need no attention in a string (not a quote, a backslash or a control
    /// character), eight at a time while it can; returns every byte passed OR-ed (a high bit: not ASCII).
    @inline(__always)
    private mutating func skipPlain() -> UInt64 {
        var bits: UInt64 = 0
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let quote = w ^ (ones &* 0x22), slash = w ^ (ones &* 0x5C)
                let special = (quote &- ones) & ~quote | (slash &- ones) & ~slash | (w &- ones &* 0x20) & ~w
                if special & highs != 0 { break }
                bits |= w
                index += 8
            }
        }
        while index < n {
            let b = bytes[index]
            if b == 0x22 || b == 0x5C || b < 0x20 { break }
            bits |= UInt64(b)
            index += 1
        }
        return bits
    }

    /// A string at `index` (on its opening quote). Without escapes only its place is kept; with escapes
    /// it is decoded now (the check needs the decoding anyway).
    mutating func string(into doc: inout JSONDocument) -> Bool {
        index += 1
        let start = index
        let bits = skipPlain()
        guard index < bytes.count else { return false }
        let ascii = bits & 0x8080_8080_8080_8080 == 0
        switch bytes[index] {
        case 0x22:
            guard ascii || UTF8Check.isValid(UnsafeBufferPointer(rebasing: bytes[start..<index])) else { return false }
            leaf(.string, start: start, end: index, into: &doc)
            index += 1
            return true
        case 0x5C:
            guard let decoded = escapedString(from: start, ascii: ascii) else { return false }
            leaf(.escapedString, start: start, end: index - 1, extra: doc.keep(decoded), into: &doc)
            return true
        default:
            return false   // a control character
        }
    }

    /// The rest of a string that has escapes, from its first byte at `start` (`index` at a backslash),
    /// decoded; `index` ends after the closing quote. `ascii` tells whether the bytes before the first
    /// escape were all ASCII. The closing quote is found first, so the text is decoded once, in place,
    /// into a string of the right size.
    private mutating func escapedString(from start: Int, ascii: Bool) -> String? {
        guard let close = closingQuote(from: index) else { return nil }
        var failed = false
        var highBit = !ascii
        let text = String(unsafeUninitializedCapacity: close - start) { out in
            var w = index - start
            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
            while index < close {
                let b = bytes[index]
                index += 1
                if b != 0x5C {
                    guard b >= 0x20 else { failed = true; return 0 }
                    if b >= 0x80 { highBit = true }
                    out[w] = b
                    w += 1
                    continue
                }
                let e = bytes[index]   // a backslash is never last: the quote after it is not the closing one
                index += 1
                if let byte = JSONEscape.byte(for: e) {
                    out[w] = byte
                    w += 1
                } else {
                    guard e == UInt8(ascii: "u"), index <= close, let scalar = unicodeEscape(), index <= close else { failed = true; return 0 }
                    for unit in String(scalar).utf8 { out[w] = unit; w += 1 }
                }
            }
            // Text made only of valid UTF-8 needs no repair: any other text is refused, not repaired.
            if highBit, !UTF8Check.isValid(UnsafeBufferPointer(rebasing: out[..<w])) { failed = true; return 0 }
            return w
        }
        index = close + 1
        return failed ? nil : text
    }

    /// The index of the quote that closes the string that `from` is inside (a quote after an even run of
    /// backslashes), or nil when the text ends first.
    private func closingQuote(from: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var at = from
        while at < bytes.count, let found = memchr(raw + at, 0x22, bytes.count - at) {
            let quote = raw.distance(to: found)
            var slashes = 0
            while quote - slashes > 0, bytes[quote - slashes - 1] == 0x5C { slashes += 1 }
            if slashes % 2 == 0 { return quote }
            at = quote + 1
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a surrogate pair written as two escapes;
    /// a lone surrogate reads as U+FFFD.
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

    private mutating func array(into doc: inout JSONDocument) -> Bool {
        let me = doc.append(JSONNode(kind: .array, start: index, end: 0, next: 0, extra: 0))
        index += 1
        depth += 1; defer { depth -= 1 }
        guard depth <= JSONDocument.maxDepth else { return false }
        var count = 0
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            doc.close(me, end: index, count: 0)
            return true
        }
        while true {
            guard value(into: &doc) else { return false }
            count += 1
            skipSpace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "]") else { return false }
            index += 1
            doc.close(me, end: index, count: count)
            return true
        }
    }

    private mutating func object(into doc: inout JSONDocument) -> Bool {
        let me = doc.append(JSONNode(kind: .object, start: index, end: 0, next: 0, extra: 0))
        index += 1
        depth += 1; defer { depth -= 1 }
        guard depth <= JSONDocument.maxDepth else { return false }
        var count = 0
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            doc.close(me, end: index, count: 0)
            return true
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string(into: &doc) else { return false }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            guard value(into: &doc) else { return false }
            count += 1
            skipSpace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "}") else { return false }
            index += 1
            doc.close(me, end: index, count: count)
            return true
        }
    }
}
