import Foundation
import StreamtapeCore

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
