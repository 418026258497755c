import Foundation

/// Small helpers over Foundation's JSON reader: each event's data is parsed once, here.
enum DialectJSON {
    /// The parsed value, or nil when `text` is not JSON.
    static func parse(_ text: String) -> Any? {
        guard !text.isEmpty else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// Compact JSON with sorted keys, for arguments given as objects (Gemini, Ollama).
    static func sortedString(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "" }
        if let s = value as? String { return s }
        guard let data = try? JSONSerialization.data(withJSONObject: value,
                                                     options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Typed reads on a decoded JSON object.
extension Dictionary where Key == String, Value == Any {
    /// The value at `key` as a string.
    func jsonString(_ key: String) -> String? { self[key] as? String }
    /// The value at `key` as an object.
    func jsonObject(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    /// The value at `key` as an array.
    func jsonArray(_ key: String) -> [Any]? { self[key] as? [Any] }
    /// The value at `key` as an integer, nil unless it is one that fits an `Int` exactly
    /// (`NSNumber.intValue` would wrap 2^63 to Int.min and cut 1e300 or 1.5 without a word).
    func jsonInt(_ key: String) -> Int? { self[key] as? Int }
    /// The value at `key` as a boolean.
    func jsonBool(_ key: String) -> Bool? { self[key] as? Bool }
}
