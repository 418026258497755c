import ArgumentParser
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
