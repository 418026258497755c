/// A parsed YAML or JSON document reduced to what the readers look at, each node with its line.
///
/// YAML (Yams) and JSON (`JSONDocument`) both become this, so a cassette is read by one reader
/// whichever serializer wrote it; mapping keys keep their order (headers are kept in order).
struct DocNode {
    /// The value of a node.
    indirect enum Value {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        /// A YAML `!!binary` scalar, already base64-decoded.
        case bytes([UInt8])
        case list([DocNode])
        case map([(key: String, value: DocNode)])
    }

    /// The value.
    var value: Value
    /// 1-based line where the node starts, nil when unknown.
    var line: Int?

    /// The named member of a mapping (first match), nil when absent or when this is not a mapping.
    subscript(key: String) -> DocNode? {
        guard case .map(let pairs) = value else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The mapping's pairs, nil when this is not a mapping.
    var pairs: [(key: String, value: DocNode)]? { if case .map(let p) = value { p } else { nil } }

    /// The list's items, nil when this is not a list.
    var items: [DocNode]? { if case .list(let l) = value { l } else { nil } }

    /// The text of a string scalar, nil otherwise.
    var string: String? { if case .string(let s) = value { s } else { nil } }

    /// The integer, nil otherwise.
    var int: Int? { if case .int(let i) = value { i } else { nil } }

    /// Whether this is null.
    var isNull: Bool { if case .null = value { true } else { false } }

    /// A scalar as header text: strings as they are, numbers and booleans as written in JSON.
    var scalarText: String? {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .float(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// What the node is, for an error message ("a list", "a string").
    var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .float: "a number"
        case .string: "a string"
        case .bytes: "binary data"
        case .list: "a list"
        case .map: "a mapping"
        }
    }
}
