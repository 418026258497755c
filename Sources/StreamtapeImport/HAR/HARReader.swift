import Foundation
import StreamtapeCore

/// Reads HAR 1.2 (Chrome, Firefox, mitmproxy, Charles exports, and streamtape's own): one exchange
/// per entry, in order. The body is one `content.text`, so chunk times are unknown; the response
/// head is placed after `blocked + dns + connect + send + wait` and the end after `receive`. An entry
/// streamtape exported carries its chunks in `_streamtape`, and comes back exactly, timing included.
public enum HARReader {
    /// The exchanges of a HAR document.
    public static func read(_ bytes: [UInt8]) throws(ImportError) -> [Exchange] {
        let root = try JSONDocument.parse(bytes)
        guard let log = root["log"], log.pairs != nil else { throw ImportError(line: root.line, "not a HAR file (no \"log\" object)") }
        guard let entries = log["entries"]?.items else { throw ImportError(line: log.line, "not a HAR file (\"log\" has no \"entries\" list)") }
        var out: [Exchange] = []
        for (i, entry) in entries.enumerated() { out.append(try read(entry, place: "entry \(i + 1)")) }
        return out
    }

    private static func read(_ entry: DocNode, place: String) throws(ImportError) -> Exchange {
        let f = HARFields(place: place)
        guard entry.pairs != nil else { throw f.fail(entry, "expected an object, found \(entry.kindName)") }
        let startedText = try f.string(entry, "startedDateTime")
        guard let startedMs = WallClock.parse(startedText) else { throw f.fail(entry["startedDateTime"], "startedDateTime is not an ISO 8601 time") }
        let request = try f.mapping(entry, "request")
        let response = try f.mapping(entry, "response")
        let postData = request["postData"]
        let req = ForeignExchange.Request(
            method: try f.string(request, "method"), url: try f.string(request, "url"), headers: try f.headers(request),
            body: try postData.map { p throws(ImportError) in try f.text(p, key: "text", encodingKey: "encoding") } ?? [])
        let status = try f.status(response)
        let headers = try f.headers(response)
        let content = try f.mapping(response, "content")
        let body = try f.text(content, key: "text", encodingKey: "encoding")
        let timings = entry["timings"]
        let head = ["blocked", "dns", "connect", "send", "wait"].reduce(0.0) { $0 + f.ms(timings, $1) }
        guard let headNs = Seconds.ns(head / 1000), let receiveNs = Seconds.ns(f.ms(timings, "receive") / 1000) else {
            throw f.fail(timings, "\"timings\" must add up to less than 1e12 ms")
        }
        var e = try ForeignExchange.make(req, status: status, headers: headers, body: body, startedMs: startedMs,
                                         headNs: headNs, endNs: headNs + receiveNs, where: place)
        if let own = entry["_streamtape"] { try StreamtapeHAR.restore(own, into: &e, fields: f) }
        return e
    }
}

/// Reads typed fields of one HAR entry; errors name the entry and the line.
struct HARFields: DocFields {
    /// `entry 3`
    let place: String
    let mappingName = "object"

    /// The response status.
    func status(_ response: DocNode) throws(ImportError) -> Int {
        guard let m = response["status"] else { throw fail(response, "missing \"status\"") }
        guard let s = m.int, (0...999).contains(s) else { throw fail(m, "\"status\" must be an HTTP status code") }
        return s
    }

    /// `headers: [{name, value}]`, in order.
    func headers(_ node: DocNode) throws(ImportError) -> [Header] {
        guard let list = node["headers"] else { return [] }
        guard let items = list.items else { throw fail(list, "\"headers\" must be a list, not \(list.kindName)") }
        var out: [Header] = []
        for h in items {
            guard let name = h["name"]?.string, let value = h["value"]?.scalarText else {
                throw fail(h, "a header must be an object with string \"name\" and \"value\"")
            }
            out.append(Header(name, value))
        }
        return out
    }

    /// A text member, base64-decoded when the encoding member says `base64`; absent is empty.
    func text(_ node: DocNode, key: String, encodingKey: String) throws(ImportError) -> [UInt8] {
        guard let m = node[key], !m.isNull else { return [] }
        guard let s = m.string else { throw fail(m, "\"\(key)\" must be a string, not \(m.kindName)") }
        guard node[encodingKey]?.string?.lowercased() == "base64" else { return Array(s.utf8) }
        guard let d = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else { throw fail(m, "\"\(key)\" is not valid base64") }
        return [UInt8](d)
    }

    /// A timing in ms; -1 (not applicable), absent or not a number count as 0.
    func ms(_ timings: DocNode?, _ key: String) -> Double {
        switch timings?[key]?.value {
        case .int(let i): Double(max(i, 0))
        case .float(let d): d.isFinite ? max(d, 0) : 0
        default: 0
        }
    }
}
