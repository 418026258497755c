import StreamtapeCore

/// What inspector actions may ask of the exchange being shown (the document implements it; the
/// clock comes with it so that play can be tested without sleeping).
public protocol InspectorContext {
    /// Events known so far.
    var eventCount: Int { get }
    /// Whether all events are known.
    var isComplete: Bool { get }
    /// Sorted indices of events with findings.
    var findingEvents: [Int] { get }
    /// Where the findings stand.
    var findingsStatus: InspectDocument.FindingsState { get }
    /// Time of event `i` (ns from the exchange start).
    func eventTime(_ i: Int) -> UInt64?
    /// The last event at or before `ns`.
    func lastEvent(atOrBefore ns: UInt64) -> Int?
    /// End of the stream (ns).
    var endTimeNs: UInt64 { get }
    /// The next or previous event matching `query`, wrapping.
    func search(_ query: String, from: Int, forward: Bool) -> Int?
    /// Monotonic now (ns), for play.
    var nowNs: UInt64 { get }
    /// Whether the index has read every chunk the source had (`G` can use it).
    var isCaughtUp: Bool { get }
    /// Fraction indexed, 0...1.
    var progress: Double { get }
    /// Events in the tail window (addressed -1 … -tailCount).
    var tailCount: Int { get }
    /// Parses the tail window if needed and returns its event count.
    func loadTail() -> Int
}

/// The document with a clock: the context the terminal loop passes to actions.
public struct DocumentContext: InspectorContext {
    /// The document.
    public let document: InspectDocument
    /// Monotonic now (ns).
    public var nowNs: UInt64
    /// Wraps a document at an instant.
    public init(_ document: InspectDocument, nowNs: UInt64) { self.document = document; self.nowNs = nowNs }
    /// Events known so far.
    public var eventCount: Int { document.eventCount }
    /// Whether all events are known.
    public var isComplete: Bool { document.isComplete }
    /// Sorted indices of events with findings.
    public var findingEvents: [Int] { document.findingEvents }
    /// Where the findings stand.
    public var findingsStatus: InspectDocument.FindingsState { document.findingsStatus }
    /// Time of event `i`.
    public func eventTime(_ i: Int) -> UInt64? { document.eventTime(i) }
    /// The last event at or before `ns`.
    public func lastEvent(atOrBefore ns: UInt64) -> Int? { document.lastEvent(atOrBefore: ns) }
    /// End of the stream.
    public var endTimeNs: UInt64 { document.endTimeNs }
    /// Search in event data.
    public func search(_ query: String, from: Int, forward: Bool) -> Int? { document.search(query, from: from, forward: forward) }
    /// Whether the index has caught up with the source.
    public var isCaughtUp: Bool { document.isCaughtUp }
    /// Fraction indexed.
    public var progress: Double { document.progress }
    /// Events in the tail window.
    public var tailCount: Int { document.tailCount }
    /// Loads the tail window.
    public func loadTail() -> Int { document.loadTail() }
}
