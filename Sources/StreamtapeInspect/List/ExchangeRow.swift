import StreamtapeCore

/// One line of the exchange list (the executable fills it from the archive's summaries).
public struct ExchangeRow: Hashable, Sendable {
    /// Archive id.
    public var id: Int64
    /// Wall-clock start (ms since 1970).
    public var startedMs: Int64
    /// Request method and target.
    public var method: String, target: String
    /// Response status, nil when none arrived.
    public var status: Int?
    /// End state (`recording` while open).
    public var state: EndState
    /// Dialect name, "" when unknown.
    public var dialect: String
    /// Event count, nil while not known (not derived yet).
    public var events: Int?
    /// Time to the first chunk (ns), nil without chunks.
    public var ttfbNs: UInt64?
    /// Duration to the end (ns), nil while recording.
    public var durationNs: UInt64?
    /// Error- and warning-level findings, nil while not known (not derived yet).
    public var problems: Int?
    /// The model the request asked for, nil when it named none or is not derived yet.
    public var model: String?
    /// Time to the first content event (ns), nil when none or not known.
    public var ttfcNs: UInt64?
    /// The codes of its findings, each once.
    public var findings: [String]

    /// Creates a row.
    public init(id: Int64, startedMs: Int64, method: String, target: String, status: Int?, state: EndState,
                dialect: String, events: Int?, ttfbNs: UInt64?, durationNs: UInt64?, problems: Int?,
                model: String? = nil, ttfcNs: UInt64? = nil, findings: [String] = []) {
        self.id = id; self.startedMs = startedMs; self.method = method; self.target = target; self.status = status
        self.state = state; self.dialect = dialect; self.events = events; self.ttfbNs = ttfbNs
        self.durationNs = durationNs; self.problems = problems
        self.model = model; self.ttfcNs = ttfcNs; self.findings = findings
    }

    /// Creates a row from a core summary and the derived facts (nil counts: not known yet).
    public init(_ s: ExchangeSummary, dialect: String, events: Int?, problems: Int?, measures: Measures? = nil, findings: [String] = []) {
        self.init(id: s.id, startedMs: s.startedMs, method: s.method, target: s.target, status: s.status, state: s.state,
                  dialect: dialect, events: events, ttfbNs: s.firstChunkNs, durationNs: s.endNs, problems: problems,
                  model: measures?.model, ttfcNs: measures?.ttfcNs, findings: findings)
    }
}

/// Where the exchange list comes from and how an exchange is opened (the archive, in the executable).
public protocol ExchangeCatalog: Sendable {
    /// All rows, in any order.
    func rows() throws -> [ExchangeRow]
    /// Opens one exchange for inspection.
    func open(_ id: Int64, follow: Bool) throws -> InspectDocument
}
