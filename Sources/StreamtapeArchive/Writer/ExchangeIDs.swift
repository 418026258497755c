/// Where a writer's exchange ids come from: counted in memory after the largest stored one (SQLite,
/// one writer per file), or reserved ahead from the database's sequence (PostgreSQL, many writers:
/// `begin` runs on the forwarding path and must not wait for the database).
enum ExchangeIDs {
    /// The last id handed out; the next is one more.
    case counter(after: Int64)
    /// Ids reserved and not yet handed out, in order.
    case reserved([Int64])

    /// How many ids a PostgreSQL writer keeps reserved (a refill happens below half).
    static let reserve = 100

    /// The next id, nil when no reserved id is left.
    mutating func next() -> Int64? {
        switch self {
        case .counter(let last):
            self = .counter(after: last + 1)
            return last + 1
        case .reserved(var left):
            guard !left.isEmpty else { return nil }
            let id = left.removeFirst()
            self = .reserved(left)
            return id
        }
    }

    /// How many more ids to reserve now (0 for a counter, or while at least half are left).
    var shortfall: Int {
        guard case .reserved(let left) = self, left.count < Self.reserve / 2 else { return 0 }
        return Self.reserve - left.count
    }
}
