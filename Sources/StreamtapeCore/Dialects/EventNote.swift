/// What the assembler learned about one event that the diagnostics need, so each event is decoded once.
struct EventNote: Sendable {
    /// How the event's data fared as JSON.
    enum JSONOutcome: Sendable { case notExpected, valid, invalid }
    /// The JSON outcome.
    var json: JSONOutcome = .notExpected
    /// The JSON `type` field, when there is one.
    var type: String?
    /// Whether this event is the dialect's end marker.
    var terminal = false
    /// The error it carries, if it is an error event.
    var error: StreamError?
    /// Anthropic content block index.
    var blockIndex: Int?
    /// Responses `sequence_number`.
    var sequence: Int?
}
