/// Canonical text, equality and hashing: two requests that differ only in key order, whitespace or
/// number spelling are the same value.
extension JSONValue: Hashable {
    /// Compact text with sorted keys and normalised numbers: equal for requests that differ only in
    /// key order, whitespace or number spelling (`1.0` and `1`).
    public var canonical: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let literal): out += Self.canonicalNumber(literal)
        case .string(let s): out += JSONText.quote(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeCanonical(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in Self.lastOfEachKey(members).sorted(by: { $0.0 < $1.0 }).enumerated() {
                if i > 0 { out += "," }
                out += JSONText.quote(key)
                out += ":"
                value.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    /// Each key once, with its last value (what `subscript` reads), in the order the last ones were written.
    static func lastOfEachKey(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var last: [String: Int] = [:]
        for (i, member) in members.enumerated() { last[member.0] = i }
        guard last.count < members.count else { return members }
        return members.enumerated().filter { last[$0.element.0] == $0.offset }.map(\.element)
    }

    /// The shared form of a number literal, exact in decimal (no rounding through `Double`): `2.0`, `2`
    /// and `0.2e1` are `2`; `1.5e-7` is `1.5e-7`; big integers keep every digit.
    static func canonicalNumber(_ literal: String) -> String {
        var text = Substring(literal)
        let negative = text.first == "-"
        if negative { text = text.dropFirst() }
        let parts = text.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, let written = parts.count == 2 ? Int(parts[1]) : 0 else { return literal }
        let fraction = mantissa.count == 2 ? mantissa[1] : ""
        var digits = Array((mantissa[0] + fraction).utf8).drop { $0 == 0x30 }
        guard !digits.isEmpty else { return "0" }
        var exponent = written - fraction.count
        while digits.last == 0x30 { digits.removeLast(); exponent += 1 }
        let d = String(decoding: digits, as: UTF8.self)
        let point = d.count + exponent   // digits before the decimal point
        let body: String
        if exponent >= 0, point <= 21 {
            body = d + String(repeating: "0", count: exponent)
        } else if exponent < 0, point > 0 {
            body = d.prefix(point) + "." + d.dropFirst(point)
        } else if exponent < 0, point > -6 {
            body = "0." + String(repeating: "0", count: -point) + d
        } else {
            body = d.prefix(1) + (d.count > 1 ? "." + d.dropFirst() : "") + "e" + String(point - 1)
        }
        return (negative ? "-" : "") + body
    }

    /// Short display text for a difference report (long values cut).
    public var brief: String {
        let text = canonical
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// Equal when the canonical forms are.
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.canonical == b.canonical }
    /// Hashes the canonical form.
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }
}
