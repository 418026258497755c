/// One value of a read `JSONDocument`, for reading a few members without building a tree: keys are
/// compared as bytes and a string is made only when it is asked for.
///
/// It points into the document and the text, so it is valid only inside `JSONDocument.withRoot`.
struct JSONView {
    /// The JSON text.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The document's nodes.
    let nodes: UnsafeBufferPointer<JSONNode>
    /// The document's decoded escaped strings.
    let unescaped: UnsafeBufferPointer<String>
    /// This value's node.
    let index: Int

    private var node: JSONNode { nodes[index] }

    /// The view of another node of the same document.
    private func at(_ i: Int) -> JSONView { JSONView(bytes: bytes, nodes: nodes, unescaped: unescaped, index: i) }

    /// Whether this is an object.
    var isObject: Bool { node.kind == .object }
    /// Whether this is `null`.
    var isNull: Bool { node.kind == .null }

    /// The member named `key` of an object (the last one when the key repeats).
    @inline(__always)
    subscript(key: StaticString) -> JSONView? {
        guard node.kind == .object else { return nil }
        return key.withUTF8Buffer { name in
            var found = -1
            var k = index + 1
            let end = node.next
            while k < end {
                let n = nodes[k]
                if n.kind == .escapedString {
                    if unescaped[n.extra].utf8.elementsEqual(name) { found = k + 1 }
                } else if n.end - n.start == name.count, spells(name, at: n.start) {
                    found = k + 1
                }
                k = nodes[k + 1].next
            }
            return found < 0 ? nil : at(found)
        }
    }

    /// Whether the text holds `name` at `start`.
    @inline(__always)
    private func spells(_ name: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for i in 0..<name.count where bytes[start + i] != name[i] { return false }
        return true
    }

    /// The string value, if this is a string.
    @inline(__always) var stringValue: String? {
        let n = node
        switch n.kind {
        case .string: return String(decoding: UnsafeBufferPointer(rebasing: bytes[n.start..<n.end]), as: UTF8.self)
        case .escapedString: return unescaped[n.extra]
        default: return nil
        }
    }

    /// The string's UTF-8, if this is a string: copied straight from the text when it had no escapes.
    var stringBytes: [UInt8]? {
        let n = node
        switch n.kind {
        case .string: return Array(UnsafeBufferPointer(rebasing: bytes[n.start..<n.end]))
        case .escapedString: return Array(unescaped[n.extra].utf8)
        default: return nil
        }
    }

    /// The boolean value, if this is `true` or `false` (numbers are not booleans).
    var boolValue: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// The integer value, with `JSONValue.intValue`'s rules; plain digits are read without a string.
    var intValue: Int? {
        let n = node
        guard n.kind == .number else { return nil }
        var i = n.start
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        if n.end - i <= 18 {
            var value = 0
            while i < n.end, bytes[i] &- 0x30 < 10 { value = value * 10 + Int(bytes[i] &- 0x30); i += 1 }
            if i == n.end { return negative ? -value : value }
        }
        return value.intValue
    }

    /// The elements, if this is an array.
    var arrayValue: Elements? { node.kind == .array ? Elements(parent: self) : nil }

    /// The value as a tree.
    var value: JSONValue {
        let n = node
        switch n.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[n.start..<n.end]), as: UTF8.self))
        case .string, .escapedString: return .string(stringValue ?? "")
        case .array:
            var items: [JSONValue] = []
            items.reserveCapacity(n.extra)
            for element in Elements(parent: self) { items.append(element.value) }
            return .array(items)
        case .object:
            var members: [(String, JSONValue)] = []
            members.reserveCapacity(n.extra)
            var k = index + 1
            while k < n.next {
                members.append((at(k).stringValue ?? "", at(k + 1).value))
                k = nodes[k + 1].next
            }
            return .object(members)
        }
    }

    /// An array's elements, in order.
    struct Elements: Collection {
        /// The array; nil for `none`.
        let parent: JSONView?
        /// No elements (for a missing array).
        static var none: Elements { Elements(parent: nil) }
        var startIndex: Int { parent.map { $0.index + 1 } ?? 0 }
        var endIndex: Int { parent.map { $0.nodes[$0.index].next } ?? 0 }
        func index(after i: Int) -> Int { parent!.nodes[i].next }
        subscript(i: Int) -> JSONView { parent!.at(i) }
    }
}

/// Typed reads of an object's members, as the dialects use them (the same names as on `JSONValue`).
extension JSONView {
    /// The member `key` as a string.
    @inline(__always) func jsonString(_ key: StaticString) -> String? { self[key]?.stringValue }
    /// The member `key` when it is an object.
    @inline(__always) func jsonObject(_ key: StaticString) -> JSONView? { self[key].flatMap { $0.isObject ? $0 : nil } }
    /// The member `key` as an array.
    @inline(__always) func jsonArray(_ key: StaticString) -> Elements? { self[key]?.arrayValue }
    /// The member `key` as an integer (see `intValue`).
    @inline(__always) func jsonInt(_ key: StaticString) -> Int? { self[key]?.intValue }
    /// The member `key` as a boolean.
    @inline(__always) func jsonBool(_ key: StaticString) -> Bool? { self[key]?.boolValue }
}
