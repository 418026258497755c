/// How `streamtape replay` picks the recorded exchange that answers a request.
public enum ReplayMatchMode: String, Sendable, CaseIterable {
    /// Method, path, query (order and the redacted `key` parameter ignored) and body (JSON canonicalised).
    case request
    /// Method, path and query; the body is ignored.
    case path
    /// The exchanges in recorded order, whatever the request.
    case sequence
}

/// The comparable form of one request: what `ReplayMatchMode.request` compares.
public struct ReplayRequestKey: Sendable {
    /// The method, upper-cased; empty for an exchange recorded without a request (matches any).
    public var method: String
    /// The path without the query.
    public var path: String
    /// Query parameters, sorted, with `key` (a credential the recorder redacts) left out.
    public var query: [String]
    /// The body as JSON with ignored fields removed, when it parses.
    public var json: JSONValue?
    /// The raw body, compared when it is not JSON.
    public var body: [UInt8]
    /// `json` in canonical form, computed once.
    public var canonicalJSON: String?

    /// Builds the key of a request.
    public init(method: String, target: String, body: [UInt8], ignoreFields: [String]) {
        self.method = method.uppercased()
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? ""
        query = parts.count > 1
            ? parts[1].split(separator: "&").map(String.init).filter { !$0.hasPrefix("key=") && $0 != "key" }.sorted()
            : []
        json = body.isEmpty ? nil : JSONValue.parse(body)?.removing(fields: ignoreFields)
        canonicalJSON = json?.canonical
        self.body = body
    }

    /// Method, path and sorted query: requests on the same route differ at most in their bodies.
    public var route: String { method + " " + path + "?" + query.joined(separator: "&") }

    /// Whether this key stands for "any request" (an exchange loaded from a bare body).
    public var isWildcard: Bool { method.isEmpty }

    /// Whether the bodies agree (canonical JSON when both parse, bytes otherwise).
    public func sameBody(as other: ReplayRequestKey) -> Bool {
        if let a = canonicalJSON, let b = other.canonicalJSON { return a == b }
        return body == other.body
    }

    /// How the request `self` differs from `recorded`, one line each; empty when it matches in `mode`.
    public func differences(from recorded: ReplayRequestKey, mode: ReplayMatchMode) -> [String] {
        if recorded.isWildcard || mode == .sequence { return [] }
        var out: [String] = []
        if method != recorded.method { out.append("method: got \(method), recorded \(recorded.method)") }
        if path != recorded.path { out.append("path: got \(path), recorded \(recorded.path)") }
        if query != recorded.query {
            out.append("query: got \(query.isEmpty ? "none" : query.joined(separator: "&")), recorded \(recorded.query.isEmpty ? "none" : recorded.query.joined(separator: "&"))")
        }
        if mode == .request, !sameBody(as: recorded) {
            if let a = json, let b = recorded.json {
                out += a.differences(from: b).map { "body " + $0 }
            } else {
                out.append("body: got \(body.count) bytes\(json == nil && !body.isEmpty ? " (not JSON)" : ""), recorded \(recorded.body.count) bytes\(recorded.json == nil && !recorded.body.isEmpty ? " (not JSON)" : "")")
            }
        }
        return out
    }
}
