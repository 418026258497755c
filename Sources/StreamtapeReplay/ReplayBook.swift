import Foundation
import NIOCore
import StreamtapeCore

/// What every connection of one server shares: the plans, built once at start (so a fault that does
/// not fit a stream fails at start, not mid-test), and the matcher with what was served. With
/// record-on-miss, recordings made while serving are added (`learn`) and matched like the others.
final class ReplayBook: @unchecked Sendable { // plans, wires and matcher guarded by lock
    let configuration: ReplayConfiguration
    private let lock = NSLock()
    private var plans: [ReplayPlan]
    /// Each plan's bytes as wire-ready buffers, made once: every request sends them without copying.
    private var wires: [PlanWire]
    private var matcher: ReplayMatcher
    /// The 404 bodies of the misses answered so far, in order (`GET /__streamtape/misses`).
    private var missBodies: [String] = []
    private let allocator = ByteBufferAllocator()

    init(exchanges: [Exchange], configuration: ReplayConfiguration) throws {
        var plans: [ReplayPlan] = []
        for (index, e) in exchanges.enumerated() {
            do {
                plans.append(try ReplaySchedule.plan(for: e, pacing: configuration.pacing, faults: configuration.faults))
            } catch {
                var err = error
                err.reason += " (\(ReplayRecordingRef(index: index, id: e.id)))"
                throw err
            }
        }
        self.plans = plans
        wires = plans.map { [allocator] in PlanWire(plan: $0, allocator: allocator) }
        self.configuration = configuration
        matcher = ReplayMatcher(exchanges: exchanges, mode: configuration.match, ignoreFields: configuration.ignoreFields,
                                repeats: configuration.repeats)
    }

    /// The plan (and its wire buffers, and which recording it is) answering a request, marked served, or the miss.
    func answer(method: String, target: String, body: [UInt8]) -> Result<(plan: ReplayPlan, wire: PlanWire, recording: ReplayRecordingRef), ReplayMiss> {
        lock.withLock {
            matcher.match(method: method, target: target, body: body).map {
                (plans[$0], wires[$0], ReplayRecordingRef(index: $0, id: matcher.entries[$0].id))
            }
        }
    }

    /// Adds a recording made while serving (a recorded miss), unserved, after the others. Throws the
    /// `FaultSpecError` when the configured faults do not fit it; it is then not served.
    func learn(_ exchange: Exchange) throws {
        let plan = try ReplaySchedule.plan(for: exchange, pacing: configuration.pacing, faults: configuration.faults)
        let wire = PlanWire(plan: plan, allocator: allocator)
        lock.withLock {
            plans.append(plan)
            wires.append(wire)
            matcher.append(exchange)
        }
    }

    /// Notes a miss answered 404, for `GET /__streamtape/misses`.
    func noteMiss(_ json: String) { lock.withLock { missBodies.append(json) } }

    /// `{"misses":[...]}`: the 404 bodies of the misses answered so far, in order.
    var missesJSON: String { lock.withLock { #"{"misses":["# + missBodies.joined(separator: ",") + "]}" } }

    /// How many exchanges can be served (loaded and learned).
    var count: Int { lock.withLock { plans.count } }

    /// How many exchanges were served.
    var served: Int { lock.withLock { matcher.servedCount } }

    /// Rewinds the matcher.
    func reset() { lock.withLock { matcher.reset() } }
}
