import Foundation

/// HTTP Archive 1.2 export (http://www.softwareishard.com/blog/har-12-spec/). The body is the joined
/// chunks; the chunks themselves and their times are kept in a `_streamtape` field, as the spec allows
/// custom fields that start with an underscore.
public enum HAR {
    /// A HAR document for the given exchanges, pretty-printed with sorted keys.
    public static func encode(_ exchanges: [Exchange], creatorVersion: String) -> String {
        let log: [String: Any] = [
            "log": [
                "version": "1.2",
                "creator": ["name": "streamtape", "version": creatorVersion],
                "entries": exchanges.map(entry),
            ] as [String: Any],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }

    private static func headers(_ h: [Header]) -> [[String: String]] { h.map { ["name": $0.name, "value": $0.value] } }

    private static func entry(_ e: Exchange) -> [String: Any] {
        let body = e.body
        let ttfb = e.chunks.first?.offsetNs ?? e.response?.offsetNs ?? 0
        let endNs = e.end?.offsetNs ?? e.chunks.last?.offsetNs ?? ttfb
        let query = e.request.target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        var request: [String: Any] = [
            "method": e.request.method, "url": e.upstream + e.request.target, "httpVersion": "HTTP/1.1",
            "headers": headers(e.request.headers), "cookies": [] as [Any],
            "queryString": query.split(separator: "&").map { kv -> [String: String] in
                // Empty parts kept: `=x` is an empty name with value `x`, and a bare `=` has one part at least.
                let p = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                return ["name": p[0], "value": p.count > 1 ? p[1] : ""]
            },
            "headersSize": -1, "bodySize": e.request.body.count,
        ]
        if !e.request.body.isEmpty {
            request["postData"] = ["mimeType": e.request.headers.value(for: "content-type") ?? "",
                                   "text": String(decoding: e.request.body, as: UTF8.self)]
        }
        var content: [String: Any] = ["size": body.count, "mimeType": e.response?.headers.value(for: "content-type") ?? ""]
        if let text = String(validating: body, as: UTF8.self) { content["text"] = text } else {
            content["text"] = Data(body).base64EncodedString(); content["encoding"] = "base64"
        }
        let chunks: [[String: Any]] = e.chunks.map { c in
            if let s = String(validating: c.bytes, as: UTF8.self) { return ["t": Double(c.offsetNs) / 1e9, "text": s] }
            return ["t": Double(c.offsetNs) / 1e9, "b64": Data(c.bytes).base64EncodedString()]
        }
        var streamtape: [String: Any] = ["chunks": chunks, "upstream": e.upstream]
        if let id = e.id { streamtape["id"] = id }
        if let end = e.end {
            var endObj: [String: Any] = ["t": Double(end.offsetNs) / 1e9, "state": end.state.rawValue]
            if let err = end.error { endObj["error"] = err }
            streamtape["end"] = endObj
        }
        return [
            "startedDateTime": WallClock.iso(ms: e.startedMs),
            "time": ms(endNs),
            "request": request,
            "response": [
                "status": e.response?.status ?? 0, "statusText": "", "httpVersion": "HTTP/1.1",
                "headers": headers(e.response?.headers ?? []), "cookies": [] as [Any], "content": content,
                "redirectURL": "", "headersSize": -1, "bodySize": body.count,
            ] as [String: Any],
            "cache": [String: Any](),
            "timings": ["send": 0, "wait": ms(ttfb), "receive": ms(endNs >= ttfb ? endNs - ttfb : 0)],
            "_streamtape": streamtape,
        ]
    }
}
