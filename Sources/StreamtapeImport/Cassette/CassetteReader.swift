import StreamtapeCore

/// Reads VCR cassettes as vcrpy writes them (YAML, or its JSON serializer): one exchange per
/// interaction, in order. Also vcrpy's older httpx layout (`status_code`/`content`) and the
/// `parsed_body` variant some projects' serializers write (pydantic-ai and others).
public enum CassetteReader {
    /// The exchanges of a cassette. `fallbackStartMs` is their start when no `Date` header says it.
    public static func read(_ bytes: [UInt8], fallbackStartMs: Int64 = 0) throws(ImportError) -> [Exchange] {
        let json = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } ?? false
        return try read(json ? JSONDocument.parse(bytes) : YAMLDocument.parse(bytes), fallbackStartMs: fallbackStartMs)
    }

    static func read(_ root: DocNode, fallbackStartMs: Int64) throws(ImportError) -> [Exchange] {
        if root.items != nil {
            throw ImportError(line: root.line, "a cassette from vcrpy before 1.0 (a top-level list); migrate it first with `python -m vcr.migration`")
        }
        guard root.pairs != nil else { throw ImportError(line: root.line, "not a VCR cassette (expected a mapping with \"interactions\")") }
        guard let interactions = root["interactions"] else {
            throw ImportError(line: root.line, "not a VCR cassette (no \"interactions\")")
        }
        guard let list = interactions.items else {
            throw ImportError(line: interactions.line, "\"interactions\" must be a list, not \(interactions.kindName)")
        }
        var out: [Exchange] = []
        for (i, item) in list.enumerated() {
            out.append(try interaction(item, place: "interaction \(i + 1)", fallbackStartMs: fallbackStartMs))
        }
        return out
    }

    private static func interaction(_ node: DocNode, place: String, fallbackStartMs: Int64) throws(ImportError) -> Exchange {
        let f = Fields(place: place)
        let request = try f.mapping(node, "request")
        let response = try f.mapping(node, "response")
        let req = ForeignExchange.Request(
            method: try f.string(request, "method"), url: try f.string(request, "uri"),
            headers: try f.headers(request["headers"]), body: try f.body(request, "body", allowMissing: true))
        let status: Int
        let body: [UInt8]
        if response["status_code"] != nil {
            // vcrpy's httpx stub before 4.2: `status_code` and `content` (already decoded text).
            status = try f.int(response, "status_code")
            body = try f.body(response, "content", allowMissing: false)
        } else {
            status = try f.int(try f.mapping(response, "status"), "code")
            if response["parsed_body"] != nil {
                body = try f.body(response, "parsed_body", allowMissing: false)
            } else {
                body = try f.body(try f.mapping(response, "body"), "string", allowMissing: false)
            }
        }
        let headers = try f.headers(response["headers"])
        return try ForeignExchange.make(req, status: status, headers: headers, body: body,
                                        startedMs: ForeignExchange.httpDateMs(headers) ?? fallbackStartMs, where: place)
    }
}

/// Reads typed fields of one interaction; errors name the interaction and the line.
private struct Fields: DocFields {
    let place: String
    let mappingName = "mapping"

    func int(_ node: DocNode, _ key: String) throws(ImportError) -> Int {
        guard let v = node[key] else { throw fail(node, "missing \"\(key)\"") }
        // 0 is what browsers' HAR exports (and so cassettes made from them) give a request with no answer.
        guard let i = v.int, (0...999).contains(i) else { throw fail(v, "\"\(key)\" must be an HTTP status code (0-999)") }
        return i
    }

    /// vcrpy keeps header values as lists (`name: [v1, v2]`); a single scalar is accepted too.
    func headers(_ node: DocNode?) throws(ImportError) -> [Header] {
        guard let node, !node.isNull else { return [] }
        guard let pairs = node.pairs else { throw fail(node, "headers must be a mapping of name to list of values, not \(node.kindName)") }
        var out: [Header] = []
        for (name, values) in pairs {
            for v in values.items ?? [values] {
                guard let text = v.scalarText else { throw fail(v, "header \(name) must have text values, not \(v.kindName)") }
                out.append(Header(name, text))
            }
        }
        return out
    }

    /// A body: text (as UTF-8), `!!binary` bytes, null or `''` (empty), or a `parsed_body` mapping
    /// re-encoded as JSON the way the serializers that write it load it back (`json.dumps`).
    func body(_ node: DocNode, _ key: String, allowMissing: Bool) throws(ImportError) -> [UInt8] {
        if key == "body", let parsed = node["parsed_body"] { return Array(PythonJSON.dumps(parsed).utf8) }
        guard let v = node[key] else {
            if allowMissing { return [] }
            throw fail(node, "missing \"\(key)\"")
        }
        switch v.value {
        case .null: return []
        case .string(let s): return Array(s.utf8)
        case .bytes(let b): return b
        case .map, .list: if key == "parsed_body" { return Array(PythonJSON.dumps(v).utf8) }
        default: break
        }
        throw fail(v, "\"\(key)\" must be text or !!binary, not \(v.kindName)")
    }
}
