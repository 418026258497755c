/// What the server does next for one replayed response.
public enum ReplayAction: Hashable, Sendable {
    /// Send the response head and flush.
    case head(ReplayHead)
    /// Send these bytes as one write and flush.
    case bytes([UInt8])
    /// Nothing is due before this instant (on the clock the playback was started on).
    case wait(until: UInt64)
    /// End the response this way.
    case end(ReplayEnding)
    /// All done.
    case done
}

/// Plays a `ReplayPlan` against a clock: events in (the current instant), actions out. The NIO server
/// calls `next(now:)` whenever it may act and executes what it gets; tests drive it on a manual clock.
/// Deadlines are absolute (start + plan offset), so a late write never delays the ones after it.
public struct ReplayPlayback: Sendable {
    /// The plan being played.
    public let plan: ReplayPlan
    /// The instant the request was received, on the driving clock.
    public let start: UInt64
    private var step = 0

    /// Index in `plan.segments` of the bytes the last `.bytes` action carried (lets a server send a
    /// buffer it prepared once per plan instead of copying the bytes on every request).
    public var lastSegmentIndex: Int { step - 2 }

    /// Starts playing `plan` with the request received at `start`.
    public init(plan: ReplayPlan, start: UInt64) { self.plan = plan; self.start = start }

    /// The deadline of the next action, nil when done.
    public var nextDeadline: UInt64? {
        let n = plan.segments.count
        switch step {
        // Guards, not `1...n`: with no segments (an empty recording, a cut before event #0) that range traps.
        case 0: return ReplayNanoseconds.add(start, plan.headAt)
        case let s where s <= n: return ReplayNanoseconds.add(start, plan.segments[s - 1].at)
        case let s where s == n + 1: return ReplayNanoseconds.add(start, plan.endAt)
        default: return nil
        }
    }

    /// The next action at instant `now`: what is due, or how long to wait.
    public mutating func next(now: UInt64) -> ReplayAction {
        guard let deadline = nextDeadline else { return .done }
        if deadline > now { return .wait(until: deadline) }
        let n = plan.segments.count
        defer { step += 1 }
        switch step {
        case 0: return .head(plan.head)
        case let s where s <= n: return .bytes(plan.segments[s - 1].bytes)
        default: return .end(plan.ending)
        }
    }
}

/// Drives a playback on any `ReplayClock`, for clients of the library and for tests on a manual clock.
public enum ReplayPlayer {
    /// Plays `plan` from `clock.now()`, calling `perform` with each due action and the instant it ran.
    public static func play(_ plan: ReplayPlan, on clock: some ReplayClock,
                            perform: (ReplayAction, UInt64) async throws -> Void) async throws {
        var playback = ReplayPlayback(plan: plan, start: clock.now())
        while true {
            let action = playback.next(now: clock.now())
            switch action {
            case .done: return
            case .wait(let deadline): try await clock.sleep(until: deadline)
            default: try await perform(action, clock.now())
            }
        }
    }
}
