import StreamtapeCore

/// What the end user had seen at some event: text, reasoning, tool calls, errors, stop reason.
public struct AssembledText: Hashable, Sendable {
    /// One tool call as assembled so far.
    public struct ToolCall: Hashable, Sendable {
        /// Call id, when the dialect gives one.
        public var id: String
        /// Function name.
        public var name: String
        /// Arguments text, as concatenated so far.
        public var arguments: String
        /// Creates a tool call.
        public init(id: String, name: String, arguments: String) { self.id = id; self.name = name; self.arguments = arguments }
    }
    /// Visible text.
    public var text = ""
    /// Reasoning/thinking text.
    public var reasoning = ""
    /// Tool calls.
    public var toolCalls: [ToolCall] = []
    /// Error lines (`type: message`).
    public var errors: [String] = []
    /// Finish/stop reason once known.
    public var stop: String?
    /// Creates an empty assembly.
    public init() {}
}

/// An incremental text assembler for one dialect. Core's `Assembler` conforms in the executable.
public protocol TextAssembling: Sendable {
    /// Adds the next event.
    mutating func add(_ event: SSEEvent)
    /// The assembly so far.
    var assembled: AssembledText { get }
}

/// The fallback when no dialect assembler is wired: shows nothing assembled.
public struct NoAssembler: TextAssembling {
    /// Creates one.
    public init() {}
    /// Ignores the event.
    public mutating func add(_ event: SSEEvent) {}
    /// Always empty.
    public var assembled: AssembledText { AssembledText() }
}
