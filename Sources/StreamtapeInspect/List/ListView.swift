import Foundation

/// The exchange list: one row per exchange with the columns that fit the width.
public enum ListView {
    /// A list column: title, width (0: takes the rest), alignment, drop priority (higher drops first).
    struct Column: Sendable {
        let title: String, width: Int, right: Bool, priority: Int
        let value: @Sendable (ExchangeRow) -> String
    }

    /// The columns, left to right. Each is at least one wider than its title: room for the sort arrow.
    static let columns: [Column] = [
        Column(title: "id", width: 5, right: true, priority: 0) { "\($0.id)" },
        Column(title: "started", width: 8, right: false, priority: 4) { ListView.clock($0.startedMs) },
        Column(title: "request", width: 0, right: false, priority: 0) { "\($0.method) \($0.target)" },
        Column(title: "model", width: 18, right: false, priority: 3) { $0.model ?? "—" },
        Column(title: "status", width: 7, right: true, priority: 1) { $0.status.map(String.init) ?? "—" },
        Column(title: "state", width: 14, right: false, priority: 1) { $0.state.rawValue },
        Column(title: "dialect", width: 16, right: false, priority: 4) { $0.dialect.isEmpty ? "—" : $0.dialect },
        Column(title: "TTFC", width: 7, right: true, priority: 2) { $0.ttfcNs.map(Format.duration) ?? "—" },
        // The archive counts events when an exchange ends: "…" until then, "-" until derived, not a misleading 0.
        Column(title: "events", width: 7, right: true, priority: 2) { $0.state == .inProgress ? "…" : $0.events.map(String.init) ?? "-" },
        Column(title: "duration", width: 9, right: true, priority: 2) { $0.durationNs.map(Format.duration) ?? "…" },
        Column(title: "TTFB", width: 7, right: true, priority: 5) { $0.ttfbNs.map(Format.duration) ?? "—" },
        Column(title: "problems", width: 9, right: true, priority: 1) { $0.problems.map { $0 == 0 ? "·" : "\($0)" } ?? "-" },
        Column(title: "findings", width: 24, right: false, priority: 3) { $0.findings.isEmpty ? "·" : $0.findings.joined(separator: " ") },
    ]

    /// The column a sort key orders by.
    static func key(_ c: Column) -> SortKey? { SortKey(rawValue: c.title.lowercased()) }

    /// `HH:mm:ss` of a wall-clock ms time (UTC).
    static func clock(_ ms: Int64) -> String {
        let s = Int((ms / 1000) % 86_400)
        return "\(Format.pad(s / 3600, 2)):\(Format.pad(s / 60 % 60, 2)):\(Format.pad(s % 60, 2))"
    }

    /// Renders the list; updates the rows per page in `state`.
    public static func render(_ state: inout ListState, title: String, width: Int, height: Int) -> ScreenBuffer {
        var buf = ScreenBuffer(width: width, height: height)
        guard width >= Layout.minWidth, height >= 5 else {
            buf.put(DisplayWidth.truncate("terminal too small", to: width), row: 0, col: 0)
            return buf
        }
        if state.showHelp {
            for (k, l) in ListActions.helpLines().enumerated() where k < height { buf.put(l, row: k, col: 0, style: k == 0 ? CellStyle(.header, bold: true) : .plain) }
            return buf
        }
        // Keep the highest-priority columns that fit with at least 20 columns for the request; the
        // sorted column stays, so the order on screen is always explained by a visible column.
        var cols = columns
        func droppable(_ i: Int) -> Bool { cols[i].priority > 0 && key(cols[i]) != state.sort }
        while cols.reduce(0, { $0 + $1.width + 1 }) + 20 > width,
              let drop = cols.indices.filter(droppable).max(by: { cols[$0].priority < cols[$1].priority }) {
            cols.remove(at: drop)
        }
        state.sortable = cols.compactMap(key)
        let requestWidth = width - cols.reduce(0) { $0 + $1.width + 1 }
        func cellText(_ c: Column, _ v: String) -> String {
            let w = c.width == 0 ? requestWidth : c.width
            return c.right ? Format.right(DisplayWidth.truncate(v, to: w), w) : Format.left(v, w)
        }
        buf.put(" \(title)  \(state.shown.count) of \(state.rows.count) exchanges\(state.filter.isEmpty ? "" : "  filter: \(state.filter)")",
                row: 0, col: 0, style: CellStyle(.header, bold: true))
        var x = 0
        buf.fill(row: 1, col: 0, width: width, style: CellStyle(.header, underline: true))
        for c in cols {
            let mark = key(c) == state.sort ? (state.descending ? "↓" : "↑") : ""
            x = buf.put(cellText(c, c.title + mark) + " ", row: 1, col: x, style: CellStyle(.header, bold: true, underline: true))
        }
        state.visibleRows = max(1, height - 3)
        state.select(state.selected)
        if state.shown.isEmpty {
            buf.put(state.rows.isEmpty ? "  no exchanges in the archive yet" : "  nothing matches the filter", row: 2, col: 0, style: CellStyle(.dim))
        }
        for k in 0..<state.visibleRows {
            let i = state.top + k
            guard i < state.shown.count else { break }
            let r = state.shown[i]
            var x = 0
            for c in cols {
                var style = CellStyle.plain
                switch c.title {
                case "status": style = CellStyle((r.status ?? 0) / 100 == 2 ? .ok : .error)
                case "state": style = CellStyle(r.state == .complete ? .ok : r.state == .inProgress ? .warning : .error)
                case "problems": style = (r.problems ?? 0) > 0 ? CellStyle(.error, bold: true) : CellStyle(.dim)
                case "findings": style = r.findings.isEmpty ? CellStyle(.dim) : CellStyle(.warning)
                case "id", "started", "TTFB": style = CellStyle(.dim)
                default: break
                }
                x = buf.put(cellText(c, c.value(r)) + " ", row: 2 + k, col: x, style: style)
            }
            if i == state.selected { buf.restyle(row: 2 + k, col: 0, width: width) { $0.reverse = true } }
        }
        let status = height - 1
        buf.fill(row: status, col: 0, width: width, style: CellStyle(.header, reverse: true))
        let text = state.prompt.map { "/" + $0 + "▏" } ?? state.message.map { " " + $0 } ?? " ?:help q:quit Enter:open s/S:sort /:filter"
        buf.put(text, row: status, col: 0, style: CellStyle(.header, bold: state.prompt != nil || state.message != nil, reverse: true))
        return buf
    }
}
