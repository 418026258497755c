import StreamtapeCore

/// The two header lines: request, status, end state, dialect; TTFB, duration and counts.
enum HeaderView {
    /// Draws the header.
    static func draw(_ doc: InspectDocument, into buf: inout ScreenBuffer, _ r: Rect) {
        let head = doc.head
        let status = head.response.map { "\($0.status)" } ?? "no response"
        let statusStyle = CellStyle((head.response?.status ?? 0) / 100 == 2 ? .ok : .error, bold: true)
        let end = head.end?.state.rawValue ?? "recording"
        let endStyle = CellStyle(head.end.map { $0.state == .complete ? .ok : .error } ?? .warning, bold: true)
        var line1: StyledLine = [Span(" \(head.request.method) \(head.request.target) ", CellStyle(.header, bold: true)),
                                 Span(" "), Span(status, statusStyle), Span("  "), Span(end, endStyle),
                                 Span("  \(doc.dialect.rawValue) \(doc.framing.rawValue)", CellStyle(.dim))]
        if let id = head.id { line1.insert(Span("#\(id) ", CellStyle(.dim)), at: 0) }
        if let error = head.end?.error { line1.append(Span("  \(error)", CellStyle(.error))) }
        buf.draw(line1, row: r.row, col: r.col, width: r.width)

        let times = doc.firstChunkTimeNs
        var line2: StyledLine = [
            Span(" TTFB "), Span(times.map { Format.duration($0) } ?? "—", CellStyle(bold: true)),
            Span("  duration "), Span(Format.duration(doc.endTimeNs), CellStyle(bold: true)),
            Span("  events "), Span("\(doc.eventCount)", CellStyle(bold: true)),
            Span("  chunks \(doc.chunkCount)  \(Format.bytes(doc.byteCount))"),
        ]
        if head.timingUnknown { line2.append(Span("  timing unknown", CellStyle(.warning, bold: true))) }
        let findings = doc.findings
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        switch doc.findingsStatus {
        case .ready:
            line2.append(Span("  findings "))
            if findings.isEmpty { line2.append(Span("none", CellStyle(.ok))) }
            if errors > 0 { line2.append(Span("\(errors)E ", CellStyle(.error, bold: true))) }
            if warnings > 0 { line2.append(Span("\(warnings)W ", CellStyle(.warning, bold: true))) }
            let infos = findings.count - errors - warnings
            if infos > 0 { line2.append(Span("\(infos)I", CellStyle(.info))) }
        case .pending: line2.append(Span("  findings …", CellStyle(.dim)))
        case .skipped: line2.append(Span("  findings skipped", CellStyle(.dim)))
        }
        if !doc.isComplete {
            line2.append(Span(doc.follow && doc.isCaughtUp ? "  ● live" : "  indexing \(Int(doc.progress * 100))%", CellStyle(.warning, bold: true)))
        }
        if let err = doc.indexingError { line2.append(Span("  read error: \(err)", CellStyle(.error))) }
        buf.draw(line2, row: r.row + 1, col: r.col, width: r.width)
    }
}
