import Foundation

extension ReplayHead {
    /// Headers that describe one connection hop, not the response: never replayed as recorded.
    public static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
        "content-length",
    ]

    /// Whether a recorded response was streamed: sent chunked, without a length, or as an event stream.
    public static func wasStreamed(_ headers: [Header]) -> Bool {
        let te = headers.value(for: "transfer-encoding")?.lowercased() ?? ""
        return te.contains("chunked") || headers.value(for: "content-length") == nil
            || ResponseStream.framing(contentType: headers.value(for: "content-type")) != nil
    }

    /// The head to replay for a recorded one: status and end-to-end headers kept in order; hop-by-hop
    /// headers (and any the recorded `Connection` named) dropped; then `transfer-encoding: chunked`
    /// when the recording was streamed, else `content-length: bodyLength`.
    public static func replaying(_ recorded: CapturedResponse, bodyLength: Int) -> ReplayHead {
        let named = Set((recorded.headers.value(for: "connection") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        var headers = recorded.headers.filter {
            let n = $0.name.lowercased()
            return !hopByHop.contains(n) && !named.contains(n)
        }
        let noBody = recorded.status < 200 || recorded.status == 204 || recorded.status == 304
        let chunked = !noBody && wasStreamed(recorded.headers)
        if chunked {
            headers.append(Header("transfer-encoding", "chunked"))
        } else if !noBody {
            headers.append(Header("content-length", String(bodyLength)))
        }
        return ReplayHead(status: recorded.status, headers: headers, chunked: chunked)
    }
}
