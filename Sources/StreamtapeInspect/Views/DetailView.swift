import StreamtapeCore

/// The selected event in detail: summary, findings with their explanation, then parsed fields and
/// pretty JSON, or the raw bytes with chunk cuts, or a hex dump.
enum DetailView {
    /// Draws the detail pane, scrolled.
    static func draw(_ state: InspectorState, _ doc: InspectDocument, into buf: inout ScreenBuffer, _ r: Rect) {
        guard r.height > 1, r.width > 10 else { return }
        let modeName = ["parsed": "parsed (r raw, x hex, e request)", "raw": "raw bytes (r parsed)", "hex": "hex (x parsed)"][state.detail.rawValue]
        let title = modeName.map { "event \(EventLabel.of(state.selected)) — \($0)" } ?? "request and response (e back)"
        buf.title(title, row: r.row, col: r.col, width: r.width, focused: state.focus == .detail)
        let lines = Wrap.lines(content(state, doc, width: r.width), width: r.width)
        let rows = r.height - 1
        let scroll = min(state.detailScroll, max(0, lines.count - rows))
        for k in 0..<rows where scroll + k < lines.count {
            buf.draw(lines[scroll + k], row: r.row + 1 + k, col: r.col, width: r.width)
        }
        if lines.count > rows {
            buf.put(" \(min(100, (scroll + rows) * 100 / lines.count))% ", row: r.row, col: r.col + r.width - 6, style: CellStyle(.header, reverse: true))
        }
    }

    /// The pane's lines before wrapping (tests read these).
    static func content(_ state: InspectorState, _ doc: InspectDocument, width: Int) -> [StyledLine] {
        if state.detail == .exchange { return ExchangeInfoView.lines(doc) }
        guard let s = doc.summary(state.selected) else {
            if doc.eventCount == 0 && doc.isComplete {
                // A body without events (an HTTP error's JSON, say) is what there is to see.
                let body = doc.bodyPrefix()
                return streamFindingLines(doc) + [[Span("No events; e shows the request and response headers.", CellStyle(.dim))]]
                    + ExchangeInfoView.bodyLines(body.bytes, capped: body.capped, what: "response body")
            }
            return [[Span(doc.eventCount == 0 ? "Reading…" : "…", CellStyle(.dim))]]
        }
        var out: [StyledLine] = []
        let chunks = s.firstChunk == s.lastChunk ? "chunk \(s.firstChunk)" : "chunks \(s.firstChunk)–\(s.lastChunk)"
        out.append([Span("\(s.type)", CellStyle(.accent, bold: true)),
                    Span("  at \(Format.offset(s.timeNs)) (+\(Format.duration(s.gapNs)))  \(s.start < 0 ? "" : "bytes \(s.start)–\(s.start + s.size) ")(\(Format.bytes(s.size)))  \(chunks)", CellStyle(.dim))])
        for f in doc.findings(forEvent: state.selected) { out += findingLines(f) }
        if state.selected == doc.eventCount - 1 && doc.isComplete { out += streamFindingLines(doc) }
        switch state.detail {
        case .parsed:
            guard let e = doc.event(state.selected) else { return out + [[Span("(event not available)", CellStyle(.dim))]] }
            out.append([Span("fields", CellStyle(.header, bold: true))])
            out.append([Span("  event: ", CellStyle(.dim)), Span(e.type)])
            if !e.id.isEmpty { out.append([Span("  id: ", CellStyle(.dim)), Span(e.id)]) }
            let json = JSONPretty.lines(e.data)
            out.append([Span("  data: ", CellStyle(.dim)), Span("\(e.data.utf8.count) bytes\(json != nil ? ", JSON" : "")")])
            if let json {
                out.append([Span("data as JSON", CellStyle(.header, bold: true))])
                out += json.map { [Span($0)] }
            } else {
                out.append([Span("data", CellStyle(.header, bold: true))])
                out += e.data.split(separator: "\n", omittingEmptySubsequences: false).map { [Span(String($0))] }
            }
        case .exchange:
            break
        case .raw, .hex:
            guard let raw = doc.raw(state.selected) else { return out + [[Span("(bytes not available)", CellStyle(.dim))]] }
            var legend: StyledLine = [Span("starts in chunk \(raw.firstChunk) at \(Format.offset(raw.firstTimeNs))", CellStyle(.dim))]
            for c in raw.cuts.prefix(4) {
                legend += [Span("  "), Span("┆", RawFormatter.cutStyle), Span(" chunk \(c.chunk) at \(Format.offset(c.timeNs)) (+\(Format.duration(c.timeNs &- raw.firstTimeNs)))", CellStyle(.dim))]
            }
            if raw.cuts.count > 4 { legend.append(Span("  … \(raw.cuts.count) cuts", CellStyle(.dim))) }
            if raw.cuts.isEmpty { legend.append(Span("  (one chunk)", CellStyle(.dim))) }
            out.append(legend)
            out += state.detail == .raw ? RawFormatter.lines(raw) : RawFormatter.hexLines(raw, width: width)
            if raw.capped { out.append([Span("… (first \(Format.bytes(raw.bytes.count)) shown)", CellStyle(.dim))]) }
        }
        return out
    }

    /// One finding: severity mark, code, explanation.
    static func findingLines(_ f: Finding) -> [StyledLine] {
        let (mark, role): (String, ColorRole) = f.severity == .error ? ("✖", .error) : f.severity == .warning ? ("▲", .warning) : ("ℹ", .info)
        return [[Span("\(mark) \(f.code) ", CellStyle(role, bold: true)), Span(f.message)]]
    }

    /// The findings that belong to no event.
    static func streamFindingLines(_ doc: InspectDocument) -> [StyledLine] {
        doc.streamFindings.flatMap(findingLines)
    }
}
