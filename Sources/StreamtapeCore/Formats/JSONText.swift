/// Writes JSON text with a fixed key order, so exported files are stable and diffable.
public struct JSONText: Sendable {
    private var out: String = ""
    private var needsComma: [Bool] = []

    /// Starts an empty document.
    public init() {}

    /// The text written so far.
    public var text: String { out }

    /// A JSON string literal for `s`: quotes, backslashes and control characters escaped, the rest kept as UTF-8.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = [0x22]
        var text = s
        text.withUTF8 { buf in
            out.reserveCapacity(buf.count + 2)
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            var i = 0
            while i < buf.count {
                // A run of bytes that need no escape is copied whole.
                var j = i
                while j < buf.count, buf[j] >= 0x20, buf[j] != 0x22, buf[j] != 0x5C, buf[j] != 0x7F, buf[j] != 0xE2 { j += 1 }
                if j > i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
                    i = j
                    continue
                }
                let b = buf[i]
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0..<0x20, 0x7F:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                case 0xE2 where i + 2 < buf.count && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9):
                    // U+2028 and U+2029 are valid JSON but break JavaScript readers of the lines.
                    out.append(contentsOf: Array("\\u202".utf8)); out.append(buf[i + 2] == 0xA8 ? 0x38 : 0x39)
                    i += 2
                default: out.append(b)
                }
                i += 1
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func comma() {
        if let last = needsComma.last {
            if last { out += "," }
            needsComma[needsComma.count - 1] = true
        }
    }

    /// Opens an object (as a value, or as the value of `key` inside an object).
    public mutating func open(_ key: String? = nil) { comma(); if let key { out += JSONText.quote(key) + ":" }; out += "{"; needsComma.append(false) }
    /// Closes the innermost object.
    public mutating func close() { out += "}"; needsComma.removeLast() }
    /// Opens an array.
    public mutating func openArray(_ key: String? = nil) { comma(); if let key { out += JSONText.quote(key) + ":" }; out += "["; needsComma.append(false) }
    /// Closes the innermost array.
    public mutating func closeArray() { out += "]"; needsComma.removeLast() }
    /// Writes `"key":raw` (or `raw` inside an array) where `raw` is already JSON.
    public mutating func raw(_ key: String?, _ raw: String) { comma(); if let key { out += JSONText.quote(key) + ":" }; out += raw }
    /// Writes a string member.
    public mutating func string(_ key: String?, _ value: String) { raw(key, JSONText.quote(value)) }
    /// Writes a string member, or `null`.
    public mutating func string(_ key: String?, _ value: String?) { raw(key, value.map(JSONText.quote) ?? "null") }
    /// Writes an integer member.
    public mutating func int<I: BinaryInteger>(_ key: String?, _ value: I) { raw(key, String(value)) }
    /// Writes an integer member, or `null`.
    public mutating func int<I: BinaryInteger>(_ key: String?, _ value: I?) { raw(key, value.map { String($0) } ?? "null") }
    /// Writes a boolean member.
    public mutating func bool(_ key: String?, _ value: Bool) { raw(key, value ? "true" : "false") }
    /// Writes seconds with nanosecond precision, e.g. `0.231045`.
    public mutating func seconds(_ key: String?, ns: UInt64) { raw(key, Seconds.format(ns: ns)) }
}

/// Seconds written exactly from nanoseconds and read back to the same nanoseconds.
public enum Seconds {
    /// `231045000` → `"0.231045"`; always at least one decimal.
    public static func format(ns: UInt64) -> String {
        let whole = ns / 1_000_000_000
        var frac = String(ns % 1_000_000_000)
        frac = String(repeating: "0", count: 9 - frac.count) + frac
        while frac.count > 1, frac.hasSuffix("0") { frac.removeLast() }
        return "\(whole).\(frac)"
    }

    /// Nanoseconds from a JSON number of seconds; nil when negative or not finite.
    public static func ns(_ seconds: Double) -> UInt64? {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return nil }
        return UInt64((seconds * 1e9).rounded())
    }
}
