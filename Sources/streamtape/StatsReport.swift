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

/// The statistics of one group of exchanges, computed once.
struct StatsGroup {
    /// The group's key ("all" without `--by`).
    let key: String
    /// How many exchanges.
    let count: Int
    /// How many exchanges have at least one error-level finding.
    let withErrors: Int
    /// How many exchanges have each finding code, most frequent first.
    let codes: [(code: String, count: Int)]
    /// How many exchanges stalled (a `stall` finding).
    let stalls: Int
    /// Per metric of `StatsMetric.all`, its distribution over the exchanges that have it.
    let distributions: [Distribution<Double>]

    /// Summarises rows.
    init(key: String, rows: [MeasuredRow]) {
        self.key = key
        count = rows.count
        var errors = 0, stalls = 0
        var counts: [String: Int] = [:]
        var values = [[Double]](repeating: [], count: StatsMetric.all.count)
        for r in rows where r.derived {
            if r.errors > 0 { errors += 1 }
            for c in r.codes {
                counts[c, default: 0] += 1
                if c == DiagnosticCode.stall.rawValue { stalls += 1 }
            }
            for (i, m) in StatsMetric.all.enumerated() { if let v = m.value(r.measures) { values[i].append(v) } }
        }
        withErrors = errors
        self.stalls = stalls
        codes = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
        distributions = values.map(Distribution.init)
    }

    /// Rows grouped, groups in key order.
    static func grouped(_ rows: [MeasuredRow], by grouping: StatsGrouping?) -> [StatsGroup] {
        guard let grouping else { return [StatsGroup(key: "all", rows: rows)] }
        var byKey: [String: [MeasuredRow]] = [:]
        for r in rows { for k in grouping.keys(r) { byKey[k, default: []].append(r) } }
        return byKey.keys.sorted().map { StatsGroup(key: $0, rows: byKey[$0]!) }
    }
}
