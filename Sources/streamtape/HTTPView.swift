import Foundation
import StreamtapeCore

/// `show --http`: an exchange as the two HTTP messages it was, headers in recorded order (credentials
/// already redacted by the recorder), each body as text, or its size when it is not UTF-8.
enum HTTPView {
    /// Prints the request, then the response (or what ended the exchange before one arrived).
    static func print(_ e: Exchange) {
        if e.request.method.isEmpty {
            Out.line("(no recorded request: a raw body)")
        } else {
            Out.line("\(e.request.method) \(e.request.target)")
            for h in e.request.headers { Out.line("\(h.name): \(h.value)") }
            Out.line("")
            body(e.request.body)
        }
        Out.line("")
        if let response = e.response {
            Out.line("\(response.status) (head at \(Timeline.secs(response.offsetNs)))")
            for h in response.headers { Out.line("\(h.name): \(h.value)") }
            Out.line("")
            body(e.body)
        } else {
            Out.line("(no response)")
        }
        if let end = e.end {
            Out.line("")
            Out.line("[end] \(end.state.rawValue) at \(Timeline.secs(end.offsetNs))" + (end.error.map { ": \($0)" } ?? ""))
        }
    }

    /// The response body on one line, cut to 200 characters: what an HTTP error answer said.
    static func bodySummary(_ e: Exchange) -> String {
        let bytes = e.body
        if bytes.isEmpty { return "(empty body)" }
        guard let text = String(validating: bytes, as: UTF8.self) else { return "(\(bytes.count) bytes, not UTF-8)" }
        return Timeline.clip(text.split(whereSeparator: \.isWhitespace).joined(separator: " "), 200)
    }

    private static func body(_ bytes: [UInt8]) {
        if bytes.isEmpty { Out.line("(empty body)"); return }
        if let text = String(validating: bytes, as: UTF8.self) {
            Out.line(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        } else {
            Out.line("(\(bytes.count) bytes, not UTF-8: `export --format sse` writes them as they are)")
        }
    }
}
