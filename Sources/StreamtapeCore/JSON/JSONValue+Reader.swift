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

    /// Parses a whole buffer: one value and nothing after it but whitespace (`JSONDocument`'s rules).
    static func parse(buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var document = JSONDocument()
        return document.withRoot(of: buffer) { $0?.value }
    }
}
