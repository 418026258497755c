/// Typed member reads at one place of a foreign document (`interaction 3`, `entry 2`), shared by the
/// cassette and HAR readers: every error names the place and the line.
protocol DocFields {
    /// `interaction 3`, `entry 2`
    var place: String { get }
    /// What the format calls a mapping in its messages: "mapping" (YAML) or "object" (JSON).
    var mappingName: String { get }
}

extension DocFields {
    /// An error naming the place.
    func fail(_ node: DocNode?, _ what: String) -> ImportError { ImportError(line: node?.line, "\(place): \(what)") }

    /// Member `key` of the mapping `node`, itself a mapping.
    func mapping(_ node: DocNode, _ key: String) throws(ImportError) -> DocNode {
        guard node.pairs != nil else { throw fail(node, "expected \(article) \(mappingName), found \(node.kindName)") }
        guard let m = node[key] else { throw fail(node, "missing \"\(key)\"") }
        guard m.pairs != nil else { throw fail(m, "\"\(key)\" must be \(article) \(mappingName), not \(m.kindName)") }
        return m
    }

    /// Member `key` of `node`, a string.
    func string(_ node: DocNode, _ key: String) throws(ImportError) -> String {
        guard let v = node[key] else { throw fail(node, "missing \"\(key)\"") }
        guard let s = v.string else { throw fail(v, "\"\(key)\" must be a string, not \(v.kindName)") }
        return s
    }

    private var article: String { mappingName.first.map { "aeiou".contains($0) } == true ? "an" : "a" }
}
