import StreamtapeCore

/// The recording's request and response: method, target, headers and body of the request; status
/// and headers of the response; and the response body itself when it carries no events or is not a
/// stream (an HTTP error's JSON, say), pretty-printed when it is JSON, control characters escaped.
enum ExchangeInfoView {
    /// The detail pane's lines in exchange mode.
    static func lines(_ doc: InspectDocument) -> [StyledLine] {
        let head = doc.head
        var out: [StyledLine] = [[Span("request", CellStyle(.header, bold: true))],
                                 [Span("  \(head.request.method) \(head.request.target)", CellStyle(bold: true))]]
        if !head.upstream.isEmpty { out.append([Span("  upstream ", CellStyle(.dim)), Span(head.upstream)]) }
        out += headerLines(head.request.headers)
        out += bodyLines(head.request.body, capped: false, what: "body")
        out.append([Span("response", CellStyle(.header, bold: true))])
        if let response = head.response {
            out.append([Span("  \(response.status)", CellStyle(response.status / 100 == 2 ? .ok : .error, bold: true)),
                        Span("  headers at \(Format.offset(response.offsetNs))", CellStyle(.dim))])
            out += headerLines(response.headers)
        } else {
            out.append([Span("  no response", CellStyle(.error, bold: true))])
        }
        let stream = ResponseStream.framing(contentType: head.response?.headers.value(for: "content-type")) != nil
        if doc.isComplete && (doc.eventCount == 0 || (head.response != nil && !stream)) {
            let body = doc.bodyPrefix()
            out += bodyLines(body.bytes, capped: body.capped, what: doc.eventCount == 0 ? "body (no events)" : "body")
        }
        return out
    }

    /// `  name: value`, one a line.
    static func headerLines(_ headers: [Header]) -> [StyledLine] {
        headers.map { [Span("  \(escaped($0.name)): ", CellStyle(.dim)), Span(escaped($0.value))] }
    }

    /// A body: its size, then pretty JSON or its text lines with control characters escaped.
    static func bodyLines(_ bytes: [UInt8], capped: Bool, what: String) -> [StyledLine] {
        guard !bytes.isEmpty else { return [[Span("  \(what): empty", CellStyle(.dim))]] }
        let text = String(decoding: bytes, as: UTF8.self)
        let json = JSONPretty.lines(text)
        var out: [StyledLine] = [[Span("  \(what): \(Format.bytes(bytes.count))\(json != nil ? ", JSON" : "")\(capped ? ", first part shown" : "")", CellStyle(.dim))]]
        // Split on LF bytes: a CRLF is one Character in Swift, and its CR is shown escaped.
        let lines = json ?? bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        out += lines.map { [Span("  " + escaped($0))] }
        return out
    }

    /// Control characters as `\r`, `\t`, `\x1b`, so a capture cannot drive the terminal.
    static func escaped(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F: out += "\\x" + RawFormatter.hex(UInt8(u.value))
            case 0x80..<0xA0: out += "\\u{" + String(u.value, radix: 16) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
