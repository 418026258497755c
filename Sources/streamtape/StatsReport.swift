import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore

/// How `stats` groups exchanges.
enum StatsGrouping: String, CaseIterable, ExpressibleByArgument {
    case model, target, tag, day, state

    /// The groups a row belongs to: one, except by tag (each of its tags, or "(untagged)").
    func keys(_ row: MeasuredRow) -> [String] {
        switch self {
        case .model: return [row.measures.model ?? "(none)"]
        case .target: return [String(row.target.prefix { $0 != "?" })]
        case .tag: return row.tags.isEmpty ? ["(untagged)"] : row.tags
        case .day: return [String(WallClock.iso(ms: row.startedMs).prefix(10))]
        case .state: return [row.state]
        }
    }
}

/// One measure `stats` summarises, named in `--json` after the OpenTelemetry GenAI client metric it
/// lines up with (`gen_ai.client.operation.*`), or `streamtape.*` where there is none.
struct StatsMetric: Sendable {
    /// The `--json` name.
    let name: String
    /// The table label.
    let label: String
    /// The unit (UCUM, as OpenTelemetry writes it).
    let unit: String
    /// The exchange's value: ns for times, tokens per second for the rate.
    let value: @Sendable (Measures) -> Double?

    /// Whether values are times in ns (printed in seconds).
    var isTime: Bool { unit == "s" }

    /// A value as printed: seconds with up to 9 decimals for times, 3 decimals for rates.
    func format(_ v: Double) -> String { isTime ? Seconds.format(ns: UInt64(v)) : String(format: "%.3f", v) }

    /// The measures, in print order. The gap is each exchange's median gap between content events.
    static let all: [StatsMetric] = [
        StatsMetric(name: "streamtape.time_to_first_byte", label: "time to first byte", unit: "s") { $0.ttfbNs.map { Double($0) } },
        StatsMetric(name: "gen_ai.client.operation.time_to_first_chunk", label: "time to first content", unit: "s") { $0.ttfcNs.map { Double($0) } },
        StatsMetric(name: "gen_ai.client.operation.time_per_output_chunk", label: "gap between content events", unit: "s") { $0.gapP50Ns.map { Double($0) } },
        StatsMetric(name: "gen_ai.client.operation.duration", label: "duration", unit: "s") { $0.durationNs.map { Double($0) } },
        StatsMetric(name: "streamtape.output_tokens_per_second", label: "output tokens per second", unit: "{token}/s") { $0.tokensPerSecond },
    ]
}

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
