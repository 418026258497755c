/// Why no recorded exchange answered a request: the closest recorded requests and how they differ.
/// The replay server answers it as a 404 with `json` as the body.
public struct ReplayMiss: Error, Hashable, Sendable {
    /// A recorded request near the one received.
    public struct Candidate: Hashable, Sendable {
        /// Index of the exchange among those loaded.
        public var index: Int
        /// Archive id, when there is one.
        public var id: Int64?
        /// Recorded method and target.
        public var method: String, target: String
        /// How the received request differs from it.
        public var differences: [String]
    }

    /// The request received.
    public var method: String, target: String
    /// The match mode in force.
    public var mode: ReplayMatchMode
    /// How many recorded exchanges matched but had already been served.
    public var alreadyServed: Int
    /// How many exchanges are loaded.
    public var recorded: Int
    /// The nearest recorded requests, nearest first (at most 3).
    public var closest: [Candidate]

    /// A one-sentence summary.
    public var message: String {
        if mode == .sequence { return "the \(recorded) recorded exchange(s) were all served in sequence (POST /__streamtape/reset rewinds)" }
        if alreadyServed > 0 {
            return "all \(alreadyServed) recorded exchange(s) matching \(method) \(target) were already served (POST /__streamtape/reset rewinds)"
        }
        return "no recorded exchange matches \(method) \(target) (match mode \(mode.rawValue))"
    }

    /// The 404 body: `{"error":{"type":"streamtape_no_match","message":...,"closest":[...]}}`.
    public var json: String {
        var out = "{\"error\":{\"type\":\"streamtape_no_match\",\"message\":"
        out += JSONText.quote(message)
        out += ",\"request\":{\"method\":"
        out += JSONText.quote(method)
        out += ",\"target\":"
        out += JSONText.quote(target)
        out += "},\"closest\":["
        for (i, c) in closest.enumerated() {
            if i > 0 { out += "," }
            out += "{\"exchange\":\(c.index)"
            if let id = c.id { out += ",\"id\":\(id)" }
            out += ",\"method\":"
            out += JSONText.quote(c.method)
            out += ",\"target\":"
            out += JSONText.quote(c.target)
            out += ",\"differences\":["
            for (j, d) in c.differences.enumerated() {
                if j > 0 { out += "," }
                out += JSONText.quote(d)
            }
            out += "]}"
        }
        out += "]}}"
        return out
    }
}
