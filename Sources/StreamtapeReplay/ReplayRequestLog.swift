import StreamtapeCore

/// Which loaded recording answered: its archive id when it has one, else its place among those loaded.
public struct ReplayRecordingRef: Hashable, Sendable, CustomStringConvertible {
    /// Index among the loaded (and learned) exchanges, from 0.
    public var index: Int
    /// Archive id, when there is one.
    public var id: Int64?
    /// `exchange 12` (archive id) or `exchange #1` (the first loaded).
    public var description: String { id.map { "exchange \($0)" } ?? "exchange #\(index + 1)" }
}

/// One request the replay server answered from its recordings, or could not: what `onRequest` is given.
public struct ReplayRequestLog: Sendable {
    /// How the request was answered.
    public enum Outcome: Sendable {
        /// A recording was played back; `status` is the status it sent.
        case served(ReplayRecordingRef, status: Int)
        /// No recording matched: answered 404.
        case missed(ReplayMiss)
    }

    /// Request method and target, as received.
    public var method: String, target: String
    /// What happened.
    public var outcome: Outcome

    /// One short line: `served POST /v1/chat/completions with exchange #1: 200`, or
    /// `miss POST /v1/models: 404, closest exchange #1 (POST /v1/chat/completions)`.
    public var line: String {
        switch outcome {
        case .served(let recording, let status):
            return "served \(method) \(target) with \(recording): \(status)"
        case .missed(let miss):
            let why: String
            if miss.alreadyServed > 0 {
                why = "its \(miss.alreadyServed) recording(s) already served (POST /__streamtape/reset rewinds)"
            } else if let c = miss.closest.first {
                why = "closest \(ReplayRecordingRef(index: c.index, id: c.id)) (\(c.method) \(c.target))"
            } else {
                why = "nothing recorded"
            }
            return "miss \(method) \(target): 404, \(why)"
        }
    }
}
