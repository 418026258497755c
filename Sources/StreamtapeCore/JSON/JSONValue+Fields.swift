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
    public func differences(from recorded: JSONValue, limit: Int = 5, labels: DifferenceLabels = .replay) -> [String] {
        var out: [String] = []
        Self.diff(self, recorded, path: "$", into: &out, limit: limit, labels: labels)
        return out
    }

    private static func diff(_ got: JSONValue, _ rec: JSONValue, path: String, into out: inout [String], limit: Int,
                             labels l: DifferenceLabels) {
        guard out.count < limit, got != rec else { return }
        switch (got, rec) {
        case (.object(let g), .object(let r)):
            let gk = Dictionary(g, uniquingKeysWith: { a, _ in a })
            let rk = Dictionary(r, uniquingKeysWith: { a, _ in a })
            for key in Set(gk.keys).union(rk.keys).sorted() {
                guard out.count < limit else { return }
                let p = path + "." + key
                switch (gk[key], rk[key]) {
                case let (a?, b?): diff(a, b, path: p, into: &out, limit: limit, labels: l)
                case let (a?, nil): out.append("\(p): \(l.first) \(a.brief), \(l.onlyFirst)")
                case let (nil, b?): out.append("\(p): \(l.onlySecond) \(b.brief)")
                default: break
                }
            }
        case (.array(let g), .array(let r)) where g.count == r.count:
            for (i, (a, b)) in zip(g, r).enumerated() { diff(a, b, path: "\(path)[\(i)]", into: &out, limit: limit, labels: l) }
        case (.array(let g), .array(let r)):
            out.append("\(path): \(l.first) \(g.count) elements, \(l.second) \(r.count)")
        default:
            out.append("\(path): \(l.first) \(got.brief), \(l.second) \(rec.brief)")
        }
    }
}

/// How a difference line names its two sides.
public struct DifferenceLabels: Sendable {
    /// Before the first side's value (`got`).
    public var first: String
    /// Before the second side's value (`recorded`).
    public var second: String
    /// After a value only the first side has.
    public var onlyFirst: String
    /// Before a value only the second side has.
    public var onlySecond: String

    /// Replay's words: the request received against the recording.
    public static let replay = DifferenceLabels(first: "got", second: "recorded", onlyFirst: "not in the recording", onlySecond: "missing, recorded")
    /// `diff`'s words: exchange A against exchange B.
    public static let sides = DifferenceLabels(first: "A", second: "B", onlyFirst: "not in B", onlySecond: "not in A, B")
}
