/// Removing ignored fields and describing differences, for request matching.
extension JSONValue {
    /// The value with every field at `path` removed. A path is dot-separated member names
    /// (`metadata.session`); `*` stands for any member or array element, a number for an array index.
    public func removing(path: [Substring]) -> JSONValue {
        guard let head = path.first else { return self }
        let rest = Array(path.dropFirst())
        switch self {
        case .object(let members):
            var kept: [(String, JSONValue)] = []
            for (key, value) in members {
                let hit = head == "*" || key == head
                if hit && rest.isEmpty { continue }
                kept.append((key, hit ? value.removing(path: rest) : value))
            }
            return .object(kept)
        case .array(let items):
            let index = Int(head)
            guard head == "*" || index != nil else { return self }
            if rest.isEmpty {
                return .array(items.enumerated().filter { head != "*" && $0.offset != index }.map(\.element))
            }
            return .array(items.enumerated().map { head == "*" || $0.offset == index ? $0.element.removing(path: rest) : $0.element })
        default:
            return self
        }
    }

    /// The value with every listed field path removed (paths as given to `--ignore-field`).
    public func removing(fields: [String]) -> JSONValue {
        fields.reduce(self) { $0.removing(path: $1.split(separator: ".", omittingEmptySubsequences: false)) }
    }

    /// Where `self` (the request received) differs from `recorded`, as `path: got X, recorded Y`
    /// lines, at most `limit` of them.
    public func differences(from recorded: JSONValue, limit: Int = 5) -> [String] {
        var out: [String] = []
        Self.diff(self, recorded, path: "$", into: &out, limit: limit)
        return out
    }

    private static func diff(_ got: JSONValue, _ rec: JSONValue, path: String, into out: inout [String], limit: Int) {
        guard out.count < limit, got != rec else { return }
        switch (got, rec) {
        case (.object(let g), .object(let r)):
            let gk = Dictionary(g, uniquingKeysWith: { a, _ in a })
            let rk = Dictionary(r, uniquingKeysWith: { a, _ in a })
            for key in Set(gk.keys).union(rk.keys).sorted() {
                guard out.count < limit else { return }
                let p = path + "." + key
                switch (gk[key], rk[key]) {
                case let (a?, b?): diff(a, b, path: p, into: &out, limit: limit)
                case let (a?, nil): out.append("\(p): got \(a.brief), not in the recording")
                case let (nil, b?): out.append("\(p): missing, recorded \(b.brief)")
                default: break
                }
            }
        case (.array(let g), .array(let r)) where g.count == r.count:
            for (i, (a, b)) in zip(g, r).enumerated() { diff(a, b, path: "\(path)[\(i)]", into: &out, limit: limit) }
        case (.array(let g), .array(let r)):
            out.append("\(path): got \(g.count) elements, recorded \(r.count)")
        default:
            out.append("\(path): got \(got.brief), recorded \(rec.brief)")
        }
    }
}
