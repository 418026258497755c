/// Picks the recorded exchange that answers each request, and remembers which were served.
///
/// Candidates are tried in recorded order; each exchange is served once, so identical requests get
/// the matching exchanges in recorded order. When all matching exchanges have been served the request
/// is a miss that says so (`reset()` rewinds), unless `repeats` is on: then the first matching exchange
/// answers again (vcrpy's `allow_playback_repeats`). An exchange recorded without a request (a bare
/// `.sse` body) matches any request. Under `.sequence` the next unserved exchange answers whatever comes.
public struct ReplayMatcher: Sendable {
    /// One recorded request as the matcher sees it.
    public struct Entry: Sendable {
        /// Index of the exchange in the list given to the matcher.
        public var index: Int
        /// Archive id of the exchange, when it has one.
        public var id: Int64?
        /// Method and target as recorded.
        public var method: String, target: String
        /// The comparable key.
        public var key: ReplayRequestKey
    }

    /// The mode in force.
    public let mode: ReplayMatchMode
    /// The JSON field paths left out of body comparisons.
    public let ignoreFields: [String]
    /// Whether a matching exchange is served again once all matching ones were served.
    public let repeats: Bool
    /// The recorded requests, in order.
    public private(set) var entries: [Entry]
    private var served: [Bool]
    private var servedTotal = 0
    private var byRoute: [String: [Int]]
    private var wildcards: [Int]

    /// Creates a matcher over exchanges in recorded order.
    public init(exchanges: [Exchange], mode: ReplayMatchMode = .request, ignoreFields: [String] = [], repeats: Bool = false) {
        self.mode = mode
        self.ignoreFields = ignoreFields
        self.repeats = repeats
        entries = exchanges.enumerated().map { i, e in
            Entry(index: i, id: e.id, method: e.request.method, target: e.request.target,
                  key: ReplayRequestKey(method: e.request.method, target: e.request.target, body: e.request.body,
                                        ignoreFields: ignoreFields))
        }
        served = Array(repeating: false, count: exchanges.count)
        byRoute = Dictionary(grouping: entries.filter { !$0.key.isWildcard }.map(\.index)) { [entries] in entries[$0].key.route }
        wildcards = entries.filter(\.key.isWildcard).map(\.index)
    }

    /// Adds an exchange after the others (a recording made while serving, e.g. a recorded miss), not yet
    /// served; returns its index.
    @discardableResult
    public mutating func append(_ exchange: Exchange) -> Int {
        let index = entries.count
        let entry = Entry(index: index, id: exchange.id, method: exchange.request.method, target: exchange.request.target,
                          key: ReplayRequestKey(method: exchange.request.method, target: exchange.request.target,
                                                body: exchange.request.body, ignoreFields: ignoreFields))
        entries.append(entry)
        served.append(false)
        if entry.key.isWildcard { wildcards.append(index) } else { byRoute[entry.key.route, default: []].append(index) }
        return index
    }

    /// How many exchanges were served so far.
    public var servedCount: Int { servedTotal }

    /// Forgets what was served: the next requests start again from the first recorded exchange.
    public mutating func reset() { served = Array(repeating: false, count: served.count); servedTotal = 0 }

    /// Indices that can answer `key`, in recorded order: its route's exchanges and the wildcards
    /// (all of them under `.sequence`). A lookup and a linear merge of two ascending lists, so matching
    /// stays fast with thousands of exchanges.
    private func candidates(for key: ReplayRequestKey) -> [Int] {
        if mode == .sequence { return Array(entries.indices) }
        let routed = byRoute[key.route] ?? []
        if wildcards.isEmpty { return routed }
        if routed.isEmpty { return wildcards }
        var merged: [Int] = []
        merged.reserveCapacity(routed.count + wildcards.count)
        var r = 0, w = 0
        while r < routed.count || w < wildcards.count {
            if w == wildcards.count || (r < routed.count && routed[r] < wildcards[w]) { merged.append(routed[r]); r += 1 } else { merged.append(wildcards[w]); w += 1 }
        }
        return merged
    }

    /// Whether the recorded exchange at `index` can answer `key` in this mode (served or not).
    private func answers(_ index: Int, _ key: ReplayRequestKey) -> Bool {
        mode != .request || entries[index].key.isWildcard || key.sameBody(as: entries[index].key)
    }

    /// The exchange index answering this request (marked served), or the miss report.
    public mutating func match(method: String, target: String, body: [UInt8]) -> Result<Int, ReplayMiss> {
        let key = ReplayRequestKey(method: method, target: target, body: body, ignoreFields: ignoreFields)
        let indices = candidates(for: key)
        // Served exchanges are skipped before their bodies are compared: with many served, a hit stays cheap.
        if let index = indices.first(where: { !served[$0] && answers($0, key) }) {
            served[index] = true
            servedTotal += 1
            return .success(index)
        }
        // With --repeat, the first exchange that answers serves again once all are served (vcrpy's playback repeats).
        if repeats, let again = indices.first(where: { answers($0, key) }) {
            servedTotal += 1
            return .success(again)
        }
        let exhausted = indices.reduce(0) { $0 + (answers($1, key) ? 1 : 0) }
        return .failure(miss(for: key, method: method, target: target, alreadyServed: exhausted))
    }

    private func miss(for key: ReplayRequestKey, method: String, target: String, alreadyServed: Int) -> ReplayMiss {
        let scored = entries.map { entry -> (Entry, [String], Int) in
            let diffs = key.differences(from: entry.key, mode: mode == .sequence ? .request : mode)
            var score = diffs.count
            if diffs.contains(where: { $0.hasPrefix("method:") }) { score += 100 }
            if diffs.contains(where: { $0.hasPrefix("path:") }) { score += 10 }
            return (entry, diffs, score)
        }
        let closest = scored.sorted { $0.2 < $1.2 }.prefix(3).map {
            ReplayMiss.Candidate(index: $0.0.index, id: $0.0.id, method: $0.0.method, target: $0.0.target,
                                 differences: $0.1.isEmpty ? ["none (already served)"] : $0.1)
        }
        return ReplayMiss(method: method, target: target, mode: mode, alreadyServed: alreadyServed,
                          recorded: entries.count, closest: Array(closest))
    }
}
