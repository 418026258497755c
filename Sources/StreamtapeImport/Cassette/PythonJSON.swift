import Foundation

/// JSON text as Python's `json.dumps` writes it with its defaults (`", "` and `": "` separators,
/// non-ASCII as `\uXXXX`): what the `parsed_body` serializers (pydantic-ai and others) hand vcrpy.
enum PythonJSON {
    /// The JSON text of a document node.
    static func dumps(_ node: DocNode) -> String {
        switch node.value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return d == d.rounded() && abs(d) < 1e16 ? String(format: "%.1f", d) : "\(d)"
        case .string(let s): return quote(s)
        case .bytes(let b): return quote(String(decoding: b, as: UTF8.self))
        case .list(let items): return "[" + items.map(dumps).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { quote($0.key) + ": " + dumps($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.utf16 {
            switch u {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(u)!)
            default: out += "\\u" + hex4(u)
            }
        }
        return out + "\""
    }

    private static func hex4(_ u: UInt16) -> String {
        let h = String(u, radix: 16)
        return String(repeating: "0", count: 4 - h.count) + h
    }
}
