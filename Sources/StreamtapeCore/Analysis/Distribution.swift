/// A set of measured values summarised as the percentiles `stats` prints (nearest rank, see
/// `Percentile`) and a small histogram for a terminal sparkline.
public struct Distribution<Value: Comparable & Sendable>: Sendable {
    /// The values, ascending.
    public let sorted: [Value]

    /// Summarises `values` (any order).
    public init(_ values: [Value]) { sorted = values.sorted() }

    /// How many values.
    public var count: Int { sorted.count }
    /// The `p`-th percentile, nil when empty.
    public func percentile(_ p: Double) -> Value? { Percentile.of(sorted, p) }
}
