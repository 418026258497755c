import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore

/// `streamtape stats`: counts, findings and timing percentiles over many exchanges, per group.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Summarise many exchanges: counts, findings and timing percentiles, per group.",
        discussion: """
        Percentiles are nearest-rank (always a measured value). time to first content is the first event \
        carrying text, reasoning or a tool-call delta; the gap between content events is each exchange's \
        median gap; stalls count exchanges with a stall finding. Exchanges not analysed yet count in n only. \
        In --json the timing measures are named after the OpenTelemetry GenAI client metrics: \
        gen_ai.client.operation.time_to_first_chunk, gen_ai.client.operation.time_per_output_chunk and \
        gen_ai.client.operation.duration (seconds).
        """)

    @OptionGroup var filters: ExchangeFilters

    @Option(help: "Group by this (day: the UTC date started); one group of all when not given.")
    var by: StatsGrouping?

    @Flag(help: "Print one JSON object per group (by, group, count, errors, codes, stalls, metrics with count, p50, p90, p99, max).")
    var json = false

    @OptionGroup var archive: ArchiveOptions

    func run() async throws {
        let archive = try ArchiveAccess.openForReading(self.archive)
        let rows = try ArchiveAccess.wrap { try archive.measuredRows(matching: filters.query(), tags: by == .tag) }
        let groups = StatsGroup.grouped(rows, by: by)
        if json {
            for g in groups where g.count > 0 { Out.line(Self.json(g, by: by)) }
        } else if rows.isEmpty {
            Out.line("no exchanges match in \(self.archive.path)")
        } else {
            StatsTable.print(groups, by: by)
        }
        Out.flush()
    }

    /// One `--json` line.
    static func json(_ g: StatsGroup, by: StatsGrouping?) -> String {
        var j = JSONText()
        j.open()
        j.string("by", by?.rawValue)
        j.string("group", g.key)
        j.int("count", g.count)
        j.int("errors", g.withErrors)
        j.raw("error_rate", rate(g.withErrors, g.count))
        j.raw("codes", "{" + g.codes.map { "\(JSONText.quote($0.code)):{\"count\":\($0.count),\"rate\":\(rate($0.count, g.count))}" }.joined(separator: ",") + "}")
        j.int("stalls", g.stalls)
        var metrics = "{"
        let distributions = g.distributions
        for (i, (m, d)) in zip(StatsMetric.all, distributions).enumerated() {
            let p = { (q: Double) in d.percentile(q).map(m.format) ?? "null" }
            metrics += (i > 0 ? "," : "") + JSONText.quote(m.name)
                + ":{\"unit\":\(JSONText.quote(m.unit)),\"count\":\(d.count),\"p50\":\(p(50)),\"p90\":\(p(90)),\"p99\":\(p(99)),\"max\":\(p(100))}"
        }
        j.raw("metrics", metrics + "}")
        j.close()
        return j.text
    }

    /// A fraction with 4 decimals.
    private static func rate(_ n: Int, _ total: Int) -> String { total == 0 ? "null" : String(format: "%.4f", Double(n) / Double(total)) }
}
