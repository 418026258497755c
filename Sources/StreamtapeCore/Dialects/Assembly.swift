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
    /// Output tokens as the provider's last usage report counts them, nil when it sent none.
    public var outputTokens: Int?
    /// Creates an assembly.
    public init(text: String = "", reasoning: String = "", toolCalls: [ToolCall] = [], errors: [StreamError] = [], stop: String? = nil,
                outputTokens: Int? = nil) {
        self.text = text; self.reasoning = reasoning; self.toolCalls = toolCalls; self.errors = errors; self.stop = stop
        self.outputTokens = outputTokens
    }

    /// Whether anything of an answer has arrived (text, reasoning or a tool call).
    public var hasContent: Bool { !text.isEmpty || !reasoning.isEmpty || !toolCalls.isEmpty }

    /// How much answer has arrived, in UTF-8 bytes of text, reasoning and tool calls (one more per
    /// call): grows exactly when an event carries content, which is how measures find content events.
    public var contentSize: Int {
        toolCalls.reduce(text.utf8.count + reasoning.utf8.count) { $0 + 1 + $1.name.utf8.count + $1.arguments.utf8.count }
    }
}
