/// The findings, once the analyzer has run.
extension InspectDocument {
    /// Where the findings stand.
    public var findingsStatus: FindingsState { lock.lock(); defer { lock.unlock() }; return findingsState }
    /// All findings, sorted by event.
    public var findings: [InspectFinding] { lock.lock(); defer { lock.unlock() }; return findingsList }
    /// Sorted indices of events that have findings. Stream-wide findings (no event) are shown on
    /// the last event, so they count there.
    public var findingEvents: [Int] { Array(findingMarks.keys).sorted() }

    /// The worst severity of the findings shown on each event.
    public var findingMarks: [Int: FindingSeverity] {
        lock.lock(); defer { lock.unlock() }
        var out: [Int: FindingSeverity] = [:]
        for f in findingsList {
            guard let e = f.event ?? (index.count > 0 ? index.count - 1 : nil) else { continue }
            out[e] = min(out[e] ?? .info, f.severity)
        }
        return out
    }

    /// Findings of one event.
    public func findings(forEvent i: Int) -> [InspectFinding] {
        lock.lock(); defer { lock.unlock() }
        return findingsList.filter { $0.event == i }
    }
    /// Findings that apply to the stream as a whole (no event).
    public var streamFindings: [InspectFinding] {
        lock.lock(); defer { lock.unlock() }
        return findingsList.filter { $0.event == nil }
    }

}
