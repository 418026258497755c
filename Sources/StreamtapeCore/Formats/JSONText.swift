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
        var r = "\""
        r.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            case let c where c.value < 0x20 || c.value == 0x7F || c.value == 0x2028 || c.value == 0x2029:
                let hex = String(c.value, radix: 16)
                r += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: r.unicodeScalars.append(u)
            }
        }
        return r + "\""
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
