/// A tool (function) call as the client rebuilt it.
public struct ToolCall: Hashable, Sendable {
    /// The call id when the provider gave one.
    public var id: String?
    /// The tool name.
    public var name: String
    /// The arguments text, concatenated from deltas (or sorted JSON when sent as an object).
    public var arguments: String
    /// Creates a tool call.
    public init(id: String? = nil, name: String, arguments: String = "") {
        self.id = id; self.name = name; self.arguments = arguments
    }
}

/// An error the provider sent inside the stream.
public struct StreamError: Hashable, Sendable {
    /// The provider's error type or code, e.g. `overloaded_error`.
    public var type: String
    /// The provider's message.
    public var message: String
    /// Index of the event that carried it.
    public var event: Int
    /// Creates a stream error.
    public init(type: String, message: String, event: Int) { self.type = type; self.message = message; self.event = event }
}

/// What the end user saw: the answer rebuilt from the events so far.
public struct Assembly: Hashable, Sendable {
    /// The answer text.
    public var text = ""
    /// Thinking / reasoning text.
    public var reasoning = ""
    /// Tool calls in the order they started.
    public var toolCalls: [ToolCall] = []
    /// Errors sent in the stream.
    public var errors: [StreamError] = []
    /// The finish / stop reason (or final status for Responses), nil when none was sent.
    public var stop: String?
    /// Creates an assembly.
    public init(text: String = "", reasoning: String = "", toolCalls: [ToolCall] = [], errors: [StreamError] = [], stop: String? = nil) {
        self.text = text; self.reasoning = reasoning; self.toolCalls = toolCalls; self.errors = errors; self.stop = stop
    }

    /// Whether anything of an answer has arrived (text, reasoning or a tool call).
    public var hasContent: Bool { !text.isEmpty || !reasoning.isEmpty || !toolCalls.isEmpty }
}
