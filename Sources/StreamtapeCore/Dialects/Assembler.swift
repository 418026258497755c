/// Rebuilds what the end user saw, one event at a time, so a viewer can show the answer as of event N.
///
/// Each event's data is decoded once; `ingest` also returns what the diagnostics need to know about it.
public struct Assembler: Sendable {
    /// The dialect the events are read as.
    public let dialect: Dialect
    /// The answer as of the last event added.
    public internal(set) var assembly = Assembly()
    /// How many events were added.
    public private(set) var eventCount = 0

    /// Tool call position in `assembly.toolCalls` by a dialect-specific key (index, item id, block index).
    var toolSlots: [String: Int] = [:]
    /// Where each event's JSON is read, reused from event to event.
    private var scratch = JSONDocument()

    /// Creates an assembler for a dialect.
    public init(dialect: Dialect) { self.dialect = dialect }

    /// Adds the next event.
    public mutating func add(_ event: SSEEvent) { _ = ingest(event) }

    /// Adds the next event and reports what the diagnostics need about it.
    mutating func ingest(_ event: SSEEvent) -> EventNote {
        eventCount += 1
        var note = EventNote()
        if dialect == .openaiChat, event.data.isDoneSentinel {
            note.terminal = true
            return note
        }
        let wantsJSON = dialect.expectsJSON || event.data.utf8.first == UInt8(ascii: "{")
        // The scratch document is taken out while its view is read, so the dialects can change `self`.
        var document = scratch
        scratch = JSONDocument()
        defer { scratch = document }
        return document.withRoot(of: wantsJSON ? event.data : "") { root in
            if dialect.expectsJSON { note.json = root == nil ? .invalid : .valid }
            guard let object = root, object.isObject else {
                if event.type == "error" { recordError(type: "error", message: event.data, event: event.index, into: &note) }
                return note
            }
            note.type = object.jsonString("type")
            switch dialect {
            case .openaiChat: chatCompletions(object, event: event, note: &note)
            case .openaiResponses: responses(object, event: event, note: &note)
            case .anthropic: anthropic(object, event: event, note: &note)
            case .gemini: gemini(object, event: event, note: &note)
            case .ollama: ollama(object, event: event, note: &note)
            case .generic: genericError(object, event: event, note: &note)
            }
            return note
        }
    }

    // MARK: - Shared steps

    /// Adds an in-stream error to the assembly and the note.
    mutating func recordError(type: String, message: String, event: Int, into note: inout EventNote) {
        let error = StreamError(type: type, message: message, event: event)
        assembly.errors.append(error)
        note.error = error
    }

    /// Reads `{"error": {...}}` or `{"error": "text"}`, the shape most providers use in-stream.
    mutating func errorObject(_ object: JSONView, event: Int, note: inout EventNote) -> Bool {
        guard let raw = object["error"], !raw.isNull else { return false }
        if let text = raw.stringValue {
            recordError(type: "error", message: text, event: event, into: &note)
            return true
        }
        guard raw.isObject else { return false }
        let e = raw
        let type = e.jsonString("type") ?? e.jsonString("status") ?? e.jsonString("code") ?? e.jsonInt("code").map(String.init) ?? "error"
        recordError(type: type, message: e.jsonString("message") ?? "", event: event, into: &note)
        return true
    }

    /// Generic streams: only errors are read (an `error` object, or an `event: error`).
    mutating func genericError(_ object: JSONView, event: SSEEvent, note: inout EventNote) {
        if !errorObject(object, event: event.index, note: &note), event.type == "error" {
            recordError(type: "error", message: event.data, event: event.index, into: &note)
        }
    }

    /// Opens a tool call under `key` (or returns the one already open).
    @discardableResult
    mutating func openTool(_ key: String, id: String?, name: String, arguments: String = "") -> Int {
        if let slot = toolSlots[key] { return slot }
        assembly.toolCalls.append(ToolCall(id: id, name: name, arguments: arguments))
        let slot = assembly.toolCalls.count - 1
        toolSlots[key] = slot
        return slot
    }

    /// Appends argument text to the tool call at `slot`.
    mutating func appendArguments(_ text: String, slot: Int) {
        assembly.toolCalls[slot].arguments += text
    }
}

/// Trimming for the `[DONE]` sentinel check.
extension String {
    /// Whether this is `[DONE]` with any whitespace around it. Most data ends in an ASCII character that
    /// is neither whitespace nor `]` (a JSON object's `}`): that is told from the last byte alone, without
    /// walking the characters.
    var isDoneSentinel: Bool {
        if let last = utf8.last, last < 0x80, last != UInt8(ascii: "]"), !(last == 0x20 || (0x09...0x0D).contains(last)) {
            return false
        }
        return sseTrimmed == "[DONE]"
    }

    /// The string without leading and trailing spaces, tabs and line ends.
    var sseTrimmed: Substring {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
