import Foundation

/// Checks on the HTTP exchange around the stream: status, content type, how it ended.
enum ExchangeChecks {
    /// Appends this group's findings to `out`.
    static func run(_ input: DiagnosticInput, into out: inout [Finding]) {
        let exchange = input.exchange
        let endOffset = input.body.count
        if let response = exchange.response {
            if !(200..<300).contains(response.status) {
                out.append(Finding(.httpErrorStatus, offset: 0, event: nil, message: statusMessage(response.status, body: input.body)))
            } else if ResponseStream.requested(by: exchange.request) {
                let type = response.headers.value(for: "content-type")
                if ResponseStream.framing(contentType: type) == nil {
                    let said = type.map { "\"\($0)\"" } ?? "no Content-Type at all"
                    out.append(Finding(.unexpectedContentType, offset: 0, event: nil,
                                       message: "the request asked for a stream but the response came with \(said) instead of text/event-stream or application/x-ndjson; SDKs may buffer the whole body or refuse to stream it"))
                }
            }
        }
        guard let end = exchange.end else { return }
        if end.state.isTruncation {
            out.append(Finding(.truncated, offset: endOffset, event: nil, message: truncation(end, response: exchange.response, bytes: endOffset)))
        } else if end.state == .clientDisconnected {
            out.append(Finding(.clientDisconnected, offset: endOffset, event: nil,
                               message: "the client hung up after \(endOffset) bytes, before the stream ended; what follows was never recorded"))
        }
    }

    /// What cut the exchange short and what the client got. A stopping recorder's error says why it
    /// stopped, so it is the sentence; a refused upstream's client got streamtape's 502 carrying the error.
    private static func truncation(_ end: ExchangeEnd, response: CapturedResponse?, bytes: Int) -> String {
        let why = end.error.map { " (\(FindingText.snippet($0, limit: 120)))" } ?? ""
        let got = response == nil ? "the client got no answer from the upstream" : "the client got a cut-off answer"
        switch end.state {
        case .upstreamError:
            return "the upstream failed before it sent a response\(why); the client got a 502 from streamtape carrying this error"
        case .upstreamReset: return "the upstream connection died mid-stream\(why) after \(bytes) bytes; \(got)"
        case .proxyError: return "the recorder itself failed while forwarding\(why) after \(bytes) bytes; \(got)"
        default:
            let what = end.error.map { FindingText.snippet($0, limit: 160) } ?? "the recording was found unfinished after a crash"
            return "\(what), after \(bytes) bytes; \(got)"
        }
    }

    private static func statusMessage(_ status: Int, body: [UInt8]) -> String {
        var detail = ""
        if let object = JSONValue.parse(String(decoding: body.prefix(64 * 1024), as: UTF8.self)), object.isObject {
            let error = object["error"]
            let text = error?.jsonString("message") ?? error?.stringValue ?? object.jsonString("message")
            if let text { detail = " (\"\(FindingText.snippet(text, limit: 120))\")" }
        }
        return "the server answered HTTP \(status)\(detail) instead of a 2xx stream, so there is no answer to read"
    }
}
