/// Which exchanges a listing or a statistic covers, and in what order: turned into one SQL `WHERE`
/// and `ORDER BY`, so a filter over a large archive reads only the rows it keeps.
public struct ArchiveQuery: Hashable, Sendable {
    /// A field exchanges can be sorted by (`list --sort`).
    public enum SortField: String, CaseIterable, Sendable {
        case id, started, duration, ttfb, ttfc, events, bytes, errors, warnings, model, status, state
        case tokensOut = "tokens_out", tokensPerSecond = "tokens_per_s", gapP50 = "gap_p50", gapP99 = "gap_p99"
        case gapMax = "gap_max", stallMax = "stall_max"

        /// The SQL expression sorted on.
        var column: String {
            switch self {
            case .id: return "id"
            case .started: return "started_ms"
            case .duration: return "duration_ns"
            case .ttfb: return "ttfb_ns"
            case .ttfc: return "ttfc_ns"
            case .events, .errors, .warnings, .model, .status: return rawValue
            case .bytes: return "bytes"
            case .state: return "end_state"
            case .tokensOut: return "tokens_out"
            case .tokensPerSecond: return "tokens_per_s"
            case .gapP50: return "gap_p50_ns"
            case .gapP99: return "gap_p99_ns"
            case .gapMax: return "gap_max_ns"
            case .stallMax: return "stall_max_ns"
            }
        }
    }

    /// Started at or after this wall-clock time (ms since 1970).
    public var sinceMs: Int64?
    /// Started before this wall-clock time (ms since 1970).
    public var untilMs: Int64?
    /// In one of these end states (any when empty).
    public var states: [String] = []
    /// With a finding of this code.
    public var code: String?
    /// With at least one error- or warning-level finding.
    public var problems = false
    /// Asking for this model.
    public var model: String?
    /// Whose request target contains this text.
    public var target: String?
    /// Carrying this tag.
    public var tag: String?
    /// The sort field (rows without a value last), id when nil.
    public var sort: SortField?
    /// Largest first.
    public var descending = false
    /// At most this many rows.
    public var limit: Int?

    /// Creates a query; with no arguments it selects every exchange, oldest first.
    public init(sinceMs: Int64? = nil, untilMs: Int64? = nil, states: [String] = [], code: String? = nil, problems: Bool = false,
                model: String? = nil, target: String? = nil, tag: String? = nil, sort: SortField? = nil,
                descending: Bool = false, limit: Int? = nil) {
        self.sinceMs = sinceMs; self.untilMs = untilMs; self.states = states; self.code = code; self.problems = problems
        self.model = model; self.target = target; self.tag = tag; self.sort = sort; self.descending = descending; self.limit = limit
    }

    /// Whether it selects every exchange (no filter, no limit).
    public var selectsAll: Bool { whereClause().sql.isEmpty && limit == nil }

    /// A value bound into the SQL.
    enum Value { case int(Int64), text(String) }

    /// The `WHERE …` clause (or "") and its values for the `?` placeholders, in order.
    func whereClause() -> (sql: String, values: [Value]) {
        var terms: [String] = []
        var values: [Value] = []
        if let sinceMs { terms.append("started_ms >= ?"); values.append(.int(sinceMs)) }
        if let untilMs { terms.append("started_ms < ?"); values.append(.int(untilMs)) }
        if !states.isEmpty {
            terms.append("end_state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")")
            values += states.map { .text($0) }
        }
        if let code { terms.append("instr(codes, ?) > 0"); values.append(.text(CodeList.pattern(code))) }
        if problems { terms.append("derived = 1 AND errors + warnings > 0") }
        if let model { terms.append("model = ?"); values.append(.text(model)) }
        if let target { terms.append("instr(target, ?) > 0"); values.append(.text(target)) }
        if let tag { terms.append("id IN (SELECT exchange_id FROM tags WHERE tag = ?)"); values.append(.text(tag)) }
        return (terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "), values)
    }

    /// The `ORDER BY … LIMIT …` tail.
    func orderClause() -> String {
        let field = sort ?? .id
        let direction = descending ? "DESC" : "ASC"
        var sql = field == .id ? "ORDER BY id \(direction)" : "ORDER BY \(field.column) IS NULL, \(field.column) \(direction), id"
        if let limit { sql += " LIMIT \(max(0, limit))" }
        return sql
    }
}
