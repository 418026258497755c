/// A parsed JSON value, kept exact enough to compare requests: numbers keep their literal and compare
/// by value, objects keep key order for display but compare as sets of keys.
public indirect enum ReplayJSON: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number as written; `canonical` gives the form two equal numbers share.
    case number(String)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([ReplayJSON])
    /// Members in the order written.
    case object([(String, ReplayJSON)])

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
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeCanonical(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                value.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    /// The shared form of a number literal: integral values below 2^53 print as integers.
    static func canonicalNumber(_ literal: String) -> String {
        guard let d = Double(literal), d.isFinite else { return literal }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        return String(d)
    }

    /// Writes `s` as a JSON string literal.
    static func writeString(_ s: String, into out: inout String) { out += JSONText.quote(s) }

    /// Short display text for a difference report (long values cut).
    public var brief: String {
        let text = canonical
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// Equality in the canonical sense (key order and number spelling ignored).
    public func sameValue(as other: ReplayJSON) -> Bool { canonical == other.canonical }

    /// Equal when the canonical forms are.
    public static func == (a: ReplayJSON, b: ReplayJSON) -> Bool { a.canonical == b.canonical }
    /// Hashes the canonical form.
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

    /// The member named `key` of an object.
    public subscript(key: String) -> ReplayJSON? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// The string value, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer value, if this is an integral number.
    public var intValue: Int? { if case .number(let n) = self { return Int(Self.canonicalNumber(n)) } else { return nil } }
}
