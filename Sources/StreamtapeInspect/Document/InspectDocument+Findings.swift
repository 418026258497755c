import StreamtapeCore

/// The findings, once the analyzer has run.
extension InspectDocument {
    /// Where the findings stand.
    public var findingsStatus: FindingsState { lock.lock(); defer { lock.unlock() }; return findingsState }
    /// All findings, sorted by event.
    public var findings: [Finding] { lock.lock(); defer { lock.unlock() }; return findingsList }
    /// Sorted indices of events that have findings. Stream-wide findings (no event) are shown on
    /// the last event, so they count there.
    public var findingEvents: [Int] { Array(findingMarks.keys).sorted() }

    /// The worst severity of the findings shown on each event.
    public var findingMarks: [Int: Severity] {
        lock.lock(); defer { lock.unlock() }
        var out: [Int: Severity] = [:]
        for f in findingsList {
            guard let e = f.event ?? (index.count > 0 ? index.count - 1 : nil) else { continue }
            if let worst = out[e], worst.rank <= f.severity.rank { continue }
            out[e] = f.severity
        }
        return out
    }

    /// Findings of one event.
    public func findings(forEvent i: Int) -> [Finding] {
        lock.lock(); defer { lock.unlock() }
        return findingsList.filter { $0.event == i }
    }
    /// Findings that apply to the stream as a whole (no event).
    public var streamFindings: [Finding] {
        lock.lock(); defer { lock.unlock() }
        return findingsList.filter { $0.event == nil }
    }
}

extension Severity {
    /// Errors first, then warnings, then infos.
    fileprivate var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
}
