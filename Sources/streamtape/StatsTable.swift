import StreamtapeCore

/// `stats` for people: per group a heading line, then per measure its percentiles and a sparkline of
/// its distribution (bins over the range all groups share, so rows compare at a glance).
enum StatsTable {
    /// Prints the groups.
    static func print(_ groups: [StatsGroup], by: StatsGrouping?) {
        let all = groups.map(\.distributions)
        let ranges = StatsMetric.all.indices.map { i -> ClosedRange<Double> in
            let low = all.compactMap { $0[i].sorted.first }.min() ?? 0
            return low...max(low, all.compactMap { $0[i].sorted.last }.max() ?? 0)
        }
        for (n, (g, distributions)) in zip(groups, all).enumerated() {
            if n > 0 { Out.line("") }
            let errors = g.count == 0 ? 0 : Double(g.withErrors) * 100 / Double(g.count)
            var head = "\(by.map { "\($0.rawValue) " } ?? "")\(g.key): \(g.count) exchange\(g.count == 1 ? "" : "s"), "
            head += "\(String(format: "%.0f", errors))% with errors, \(g.stalls) stalled"
            Out.line(head)
            if !g.codes.isEmpty { Out.line("  findings: " + g.codes.map { "\($0.code) \($0.count)" }.joined(separator: ", ")) }
            Out.line("  " + Timeline.pad("", 28) + ["n", "p50", "p90", "p99"].map { lead($0, 9) }.joined() + "  distribution")
            for (i, m) in StatsMetric.all.enumerated() {
                let (d, range) = (distributions[i], ranges[i])
                let cells = [String(d.count)] + [50.0, 90, 99].map { d.percentile($0).map { cell(m, $0) } ?? "-" }
                let chart = d.count == 0 ? "" : "  " + Sparkline.render(d.sorted, range: range)
                Out.line(("  " + Timeline.pad(m.label, 28) + cells.map { lead($0, 9) }.joined() + chart).trimmingTrailingSpaces)
            }
        }
    }

    /// A table cell: times in seconds to the millisecond, rates to one decimal.
    private static func cell(_ m: StatsMetric, _ v: Double) -> String {
        m.isTime ? Timeline.secs(UInt64(v)) : String(format: "%.1f", v)
    }

    /// `s` right-aligned in `n` columns.
    private static func lead(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
