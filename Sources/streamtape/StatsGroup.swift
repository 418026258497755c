import StreamtapeArchive
import StreamtapeCore

/// The statistics of one group of exchanges.
struct StatsGroup {
    /// The group's key ("all" without `--by`).
    let key: String
    /// How many exchanges.
    private(set) var count = 0
    /// How many exchanges have at least one error-level finding.
    private(set) var withErrors = 0
    /// How many exchanges stalled (a `stall` finding).
    private(set) var stalls = 0
    private var codeCounts: [String: Int] = [:]
    private var values = [[Double]](repeating: [], count: StatsMetric.all.count)

    /// An empty group.
    init(key: String) { self.key = key }

    /// Counts one exchange in.
    mutating func add(_ r: MeasuredRow) {
        count += 1
        guard r.derived else { return }
        if r.errors > 0 { withErrors += 1 }
        for c in r.codes {
            codeCounts[c, default: 0] += 1
            if c == DiagnosticCode.stall.rawValue { stalls += 1 }
        }
        for (i, m) in StatsMetric.all.enumerated() { if let v = m.value(r.measures) { values[i].append(v) } }
    }

    /// How many exchanges have each finding code, most frequent first.
    var codes: [(code: String, count: Int)] {
        codeCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    /// Per metric of `StatsMetric.all`, its distribution over the exchanges that have it.
    var distributions: [Distribution<Double>] { values.map(Distribution.init) }

    /// Rows grouped, groups in key order.
    static func grouped(_ rows: [MeasuredRow], by grouping: StatsGrouping?) -> [StatsGroup] {
        guard let grouping else {
            var all = StatsGroup(key: "all")
            for r in rows { all.add(r) }
            return [all]
        }
        var byKey: [String: StatsGroup] = [:]
        for r in rows { for k in grouping.keys(r) { byKey[k, default: StatsGroup(key: k)].add(r) } }
        return byKey.keys.sorted().map { byKey[$0]! }
    }
}
