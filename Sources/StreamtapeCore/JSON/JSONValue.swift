/// A parsed JSON value as a tree, built from the core's one JSON reader (`JSONDocument`): used by replay's
/// request matching, the tape and the diff, where whole values are compared or walked. The dialects read
/// events through `JSONView` instead, without a tree.
///
/// Exact where it matters: numbers keep their literal (`intValue` is nil unless the value is an integer
/// that fits an `Int`; canonical forms compare by value), strings are unescaped with surrogate pairs joined,
/// objects keep every member in the order written (a repeated key reads as its last value, as most JSON
/// readers do). No `indirect`: arrays and member lists already box their contents, so a scalar costs no
/// allocation.
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number as written; `canonical` gives the form two equal numbers share.
    case number(String)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// Members in the order written, repeated keys included.
    case object([(String, JSONValue)])

    /// The member named `key` of an object (the last one when the key repeats).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        var i = members.count
        while i > 0 {
            i -= 1
            if members[i].0 == key { return members[i].1 }
        }
        return nil
    }

    /// The string value, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The boolean value, if this is `true` or `false` (numbers are not booleans).
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// Whether this is an object.
    public var isObject: Bool { if case .object = self { return true } else { return false } }
    /// Whether this is `null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The integer value, nil unless this is a number whose value is an integer that fits an `Int`
    /// (`2`, `2.0`, `2e0`; not `2.5`, not 2^63).
    public var intValue: Int? {
        guard case .number(let literal) = self else { return nil }
        if let n = Int(literal) { return n }
        guard let d = Double(literal), d.isFinite, d == d.rounded(),
              d >= -9_223_372_036_854_775_808, d < 9_223_372_036_854_775_808 else { return nil }
        return Int(d)
    }
}

/// Typed reads of an object's members, as the dialects use them.
extension JSONValue {
    /// The member `key` as a string.
    func jsonString(_ key: String) -> String? { self[key]?.stringValue }
    /// The member `key` when it is an object.
    func jsonObject(_ key: String) -> JSONValue? { self[key].flatMap { $0.isObject ? $0 : nil } }
    /// The member `key` as an array.
    func jsonArray(_ key: String) -> [JSONValue]? { self[key]?.arrayValue }
    /// The member `key` as an integer (see `intValue`).
    func jsonInt(_ key: String) -> Int? { self[key]?.intValue }
    /// The member `key` as a boolean.
    func jsonBool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// Tool-call arguments given as a value (Gemini `args`, Ollama `arguments`): a string as it is, anything
    /// else as canonical JSON, null or absent as empty.
    static func argumentsText(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case let v?: return v.canonical
        }
    }
}
