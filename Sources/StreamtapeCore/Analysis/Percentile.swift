/// Percentiles by the nearest-rank method: the `p`-th percentile of n sorted values is the value at
/// rank ⌈p/100 · n⌉, so it is always one of the values (a p99 of 0.25 s happened), and any tool
/// computing nearest rank gets the same answer.
public enum Percentile {
    /// The `p`-th percentile (0 < p ≤ 100) of values sorted ascending; nil when there are none.
    public static func of<T>(_ sorted: [T], _ p: Double) -> T? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
