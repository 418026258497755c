/// A column the exchange list sorts by.
public enum SortKey: String, Sendable, CaseIterable {
    /// One per list column.
    case id, started, request, model, status, state, dialect, events, ttfc, duration, ttfb, problems, findings
}

/// The exchange list's state: rows, sort, filter, selection. A plain value changed by `ListActions`.
public struct ListState: Sendable, Equatable {
    /// All rows as loaded.
    public var rows: [ExchangeRow] = [] { didSet { refresh() } }
    /// The sort column.
    public var sort: SortKey = .id { didSet { refresh() } }
    /// Descending order.
    public var descending = true { didSet { refresh() } }
    /// The filter text (substring of id, request, model, status, state, dialect or a finding code, case-insensitive).
    public var filter = "" { didSet { refresh() } }
    /// The rows shown: filtered and sorted.
    public private(set) var shown: [ExchangeRow] = []
    /// Selected position in `shown`.
    public var selected = 0
    /// First row shown.
    public var top = 0
    /// Rows the list shows (set by the view).
    public var visibleRows = 10
    /// The columns on screen, left to right (set by the view): `s` steps through these only.
    public var sortable: [SortKey] = SortKey.allCases
    /// The filter prompt being typed, nil when closed.
    public var prompt: String?
    /// Whether the help screen is shown.
    public var showHelp = false
    /// One-line message.
    public var message: String?
    /// The exchange the user asked to open.
    public var open: Int64?
    /// Set when the user asked to quit.
    public var quit = false

    /// Creates a list state.
    public init(rows: [ExchangeRow] = []) { self.rows = rows; refresh() }

    /// The selected row.
    public var current: ExchangeRow? { shown.indices.contains(selected) ? shown[selected] : nil }

    /// Selects a position (clamped) and scrolls to it.
    public mutating func select(_ i: Int) {
        selected = max(0, min(i, shown.count - 1))
        if selected < top { top = selected }
        if selected >= top + visibleRows { top = selected - visibleRows + 1 }
        top = max(0, top)
    }

    private mutating func refresh() {
        let keep = current?.id
        let q = filter.lowercased()
        var rows = q.isEmpty ? rows : rows.filter { r in
            (["#\(r.id)", "\(r.id)", "\(r.method) \(r.target)", r.status.map(String.init) ?? "", r.state.rawValue, r.dialect,
              r.model ?? ""] + r.findings).contains { $0.lowercased().contains(q) }
        }
        rows.sort { a, b in
            let ordered = Self.less(a, b, sort)
            return descending ? Self.less(b, a, sort) : ordered
        }
        shown = rows
        if let keep, let i = shown.firstIndex(where: { $0.id == keep }) { selected = i } else { selected = min(selected, max(0, shown.count - 1)) }
        select(selected)
    }

    /// Orders two rows by a column, then by id.
    static func less(_ a: ExchangeRow, _ b: ExchangeRow, _ key: SortKey) -> Bool {
        func by<T: Comparable>(_ x: T, _ y: T) -> Bool { x == y ? a.id < b.id : x < y }
        switch key {
        case .id: return a.id < b.id
        case .started: return by(a.startedMs, b.startedMs)
        case .request: return by("\(a.method) \(a.target)", "\(b.method) \(b.target)")
        case .status: return by(a.status ?? -1, b.status ?? -1)
        case .state: return by(a.state.rawValue, b.state.rawValue)
        case .dialect: return by(a.dialect, b.dialect)
        case .events: return by(a.events ?? -1, b.events ?? -1)
        case .duration: return by(a.durationNs ?? .max, b.durationNs ?? .max)
        case .ttfb: return by(a.ttfbNs ?? .max, b.ttfbNs ?? .max)
        case .problems: return by(a.problems ?? -1, b.problems ?? -1)
        case .model: return by(a.model ?? "", b.model ?? "")
        case .ttfc: return by(a.ttfcNs ?? .max, b.ttfcNs ?? .max)
        // By the codes, so exchanges with the same findings sit together; none sort first ascending.
        case .findings: return by(a.findings.joined(separator: ","), b.findings.joined(separator: ","))
        }
    }
}
