/// The gap chart across the whole stream: time runs left to right, each column's bar is the
/// largest gap between chunks that ended there (square-root scale), so stalls stand tall after an
/// empty stretch and bursts are dense low bars. The axis marks the selected event and findings.
enum GapChartView {
    /// Eighth-block bar glyphs, empty to full.
    static let levels: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Draws the chart and its axis.
    static func draw(_ state: InspectorState, _ doc: InspectDocument, into buf: inout ScreenBuffer, _ r: Rect) {
        guard r.height >= 3, r.width > 20 else { return }
        let width = r.width
        let (gaps, end) = doc.gapColumns(width)
        let maxGap = gaps.compactMap { $0 }.max() ?? 0
        let barRows = r.height - 1
        let steps = barRows * 8
        for (col, g) in gaps.enumerated() {
            guard let g else {
                buf.put("·", row: r.row + barRows - 1, col: r.col + col, style: CellStyle(.dim))
                continue
            }
            let h = maxGap == 0 ? 1 : max(1, Int((Double(g) / Double(maxGap)).squareRoot() * Double(steps)))
            let role: ColorRole = g >= 5_000_000_000 ? .error : g >= 1_000_000_000 ? .warning : .accent
            for k in 0..<barRows {
                let fill = min(8, max(0, h - k * 8))
                if fill > 0 { buf.put(String(levels[fill]), row: r.row + barRows - 1 - k, col: r.col + col, style: CellStyle(role)) }
            }
        }
        // Axis: 0, the longest gap, the end; the selection ▲ and findings ◆ placed by time.
        let axis = r.row + barRows
        buf.fill(row: axis, col: r.col, width: width, style: CellStyle(.dim))
        buf.put("0s", row: axis, col: r.col, style: CellStyle(.dim))
        // The end label stops one column short: the selection at the last event (the default when
        // following) marks the last column and would otherwise hide the unit ("221m▲" for 221ms).
        let endLabel = Format.duration(end)
        buf.put(endLabel, row: axis, col: r.col + width - 1 - DisplayWidth.of(endLabel), style: CellStyle(.dim))
        let label = " gaps, max \(Format.duration(maxGap)) "
        buf.put(label, row: axis, col: r.col + (width - DisplayWidth.of(label)) / 2, style: CellStyle(.dim))
        func column(_ t: UInt64) -> Int { min(width - 1, Int(Double(t) / Double(max(end, 1)) * Double(width))) }
        for (e, severity) in doc.findingMarks where severity != .info {
            if let t = doc.eventTime(e) {
                buf.put(severity == .error ? "◆" : "◇", row: axis, col: r.col + column(t), style: CellStyle(severity == .error ? .error : .warning, bold: true))
            }
        }
        if let t = doc.eventTime(state.selected) {
            buf.put("▲", row: axis, col: r.col + column(t), style: CellStyle(.marker, bold: true))
        }
    }
}
