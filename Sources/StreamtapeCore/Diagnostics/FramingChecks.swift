/// Checks on the bytes and the SSE framing: unterminated-event, invalid-utf8, unknown-field, mixed-line-endings.
enum FramingChecks {
    /// Appends this group's findings to `out`.
    static func run(_ input: DiagnosticInput, into out: inout [Finding]) {
        unterminated(input, into: &out)
        if let bad = UTF8Check.invalid(in: input.body) {
            let more = bad.count > 1 ? " (\(bad.count) invalid sequences in all)" : ""
            out.append(Finding(.invalidUTF8, offset: bad.first, event: input.event(at: bad.first),
                               message: "byte \(bad.first) of the body is not valid UTF-8\(more); clients show U+FFFD (�) or fail to decode the text here"))
        }
        for field in input.facts.unknownFields {
            let event = field.eventIndex < input.events.count ? field.eventIndex : nil
            out.append(Finding(.unknownField, offset: field.offset, event: event, message: unknownFieldMessage(field.name)))
        }
        if let at = input.facts.firstMixedEndingOffset {
            let f = input.facts
            out.append(Finding(.mixedLineEndings, offset: at, event: input.event(at: at),
                               message: "line endings are mixed from here on (LF \(f.lf), CRLF \(f.crlf), CR \(f.cr)); hand-written parsers that split on one kind see broken or extra lines"))
        }
    }

    private static func unterminated(_ input: DiagnosticInput, into out: inout [Finding]) {
        guard input.streamEnded, let start = input.facts.unterminatedStart else { return }
        switch input.framing {
        case .sse:
            let data = FindingText.snippet(input.facts.unterminatedData ?? "")
            out.append(Finding(.unterminatedEvent, offset: start, event: nil,
                               message: "the stream ends inside an event (data \"\(data)\") with no blank line after it, so a spec-conforming client drops this final event"))
        case .ndjson:
            let event = input.event(at: start)
            out.append(Finding(.unterminatedEvent, offset: start, event: event,
                               message: "the last line has no newline after it, so a client that reads whole lines may wait for it forever or drop it"))
        }
    }

    private static func unknownFieldMessage(_ name: String) -> String {
        let shown = FindingText.snippet(name, limit: 40)
        if name.first == "{" || name.first == "[" {
            return "this line is JSON without a \"data:\" prefix (it starts \(shown)…), so SSE clients ignore it and its payload is lost"
        }
        if ["data", "event", "id", "retry"].contains(name.lowercased()) {
            return "the field \"\(shown)\" is not \"\(name.lowercased())\": SSE field names are case-sensitive, so clients ignore this line"
        }
        return "the line starts with the field \"\(shown)\", which SSE does not know (only event, data, id and retry count), so clients ignore the line"
    }
}
