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
        func column(_ t: UInt64) -> Int { min(width - 1, Int(Double(t) / Double(max(end, 1)) * Double(width))) }
        var marks: [(col: Int, glyph: String, style: CellStyle)] = []
        for (e, severity) in doc.findingMarks where severity != .info {
            if let t = doc.eventTime(e) {
                marks.append((column(t), severity == .error ? "◆" : "◇", CellStyle(severity == .error ? .error : .warning, bold: true)))
            }
        }
        if let t = doc.eventTime(state.selected) { marks.append((column(t), "▲", CellStyle(.marker, bold: true))) }
        let label = " gaps, max \(Format.duration(maxGap)) "
        if let at = labelColumn(DisplayWidth.of(label), width: width, reserved: 2, endLabel: DisplayWidth.of(endLabel) + 1, marks: marks.map(\.col)) {
            buf.put(label, row: axis, col: r.col + at, style: CellStyle(.dim))
        }
        for m in marks { buf.put(m.glyph, row: axis, col: r.col + m.col, style: m.style) }
    }

    /// Where the axis label goes: centred when no mark falls on it, else the nearest place between
    /// the `0s` and end labels that no mark covers; nil when there is none (the marks matter more).
    static func labelColumn(_ length: Int, width: Int, reserved start: Int, endLabel: Int, marks: [Int]) -> Int? {
        let centre = (width - length) / 2
        let lo = start, hi = width - endLabel - length
        guard lo <= hi else { return nil }
        func free(_ at: Int) -> Bool { !marks.contains { $0 >= at && $0 < at + length } }
        for d in 0...(hi - lo) {
            for at in [centre - d, centre + d] where at >= lo && at <= hi && free(at) { return at }
        }
        return nil
    }
}
