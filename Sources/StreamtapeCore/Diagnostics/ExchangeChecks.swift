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
            let why = end.error.map { " (\(FindingText.snippet($0, limit: 120)))" } ?? ""
            let what: String
            switch end.state {
            case .upstreamError: what = "the upstream failed before it sent a response"
            case .upstreamReset: what = "the upstream connection died mid-stream"
            case .proxyError: what = "the recorder itself failed while forwarding"
            default: what = "the recording was found unfinished after a crash"
            }
            out.append(Finding(.truncated, offset: endOffset, event: nil,
                               message: "\(what)\(why) after \(endOffset) bytes; the client got a cut-off answer"))
        } else if end.state == .clientDisconnected {
            out.append(Finding(.clientDisconnected, offset: endOffset, event: nil,
                               message: "the client hung up after \(endOffset) bytes, before the stream ended; what follows was never recorded"))
        }
    }

    private static func statusMessage(_ status: Int, body: [UInt8]) -> String {
        var detail = ""
        if let object = DialectJSON.parse(String(decoding: body.prefix(64 * 1024), as: UTF8.self)) as? [String: Any] {
            let error = object["error"]
            let text = (error as? [String: Any])?.jsonString("message") ?? (error as? String) ?? object.jsonString("message")
            if let text { detail = " (\"\(FindingText.snippet(text, limit: 120))\")" }
        }
        return "the server answered HTTP \(status)\(detail) instead of a 2xx stream, so there is no answer to read"
    }
}
