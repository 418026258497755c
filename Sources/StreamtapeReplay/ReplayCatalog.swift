import Foundation
import NIOConcurrencyHelpers
import NIOCore
import StreamtapeCore

/// What every connection of one server shares: the plans, built once at start (so a fault that does
/// not fit a stream fails at start, not mid-test), and the matcher with what was served. With
/// record-on-miss, recordings made while serving are added (`learn`) and matched like the others.
final class ReplayCatalog: Sendable {
    let configuration: ReplayConfiguration
    /// What the connections share, under one lock.
    private struct State {
        var plans: [ReplayPlan]
        /// Each plan's bytes as wire-ready buffers, made once: every request sends them without copying.
        var wires: [PlanWire]
        var matcher: ReplayMatcher
        /// The 404 bodies of the misses answered so far, in order (`GET /__streamtape/misses`).
        var missBodies: [String] = []
    }
    private let state: NIOLockedValueBox<State>
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
        let wires = plans.map { [allocator] in PlanWire(plan: $0, allocator: allocator) }
        self.configuration = configuration
        let matcher = ReplayMatcher(exchanges: exchanges, mode: configuration.match, ignoreFields: configuration.ignoreFields,
                                    repeats: configuration.repeats)
        state = NIOLockedValueBox(State(plans: plans, wires: wires, matcher: matcher))
    }

    /// The plan (and its wire buffers, and which recording it is) answering a request, marked served, or the miss.
    func answer(method: String, target: String, body: [UInt8]) -> Result<(plan: ReplayPlan, wire: PlanWire, recording: ReplayRecordingRef), ReplayMiss> {
        state.withLockedValue { s in
            s.matcher.match(method: method, target: target, body: body).map {
                (s.plans[$0], s.wires[$0], ReplayRecordingRef(index: $0, id: s.matcher.entries[$0].id))
            }
        }
    }

    /// Adds a recording made while serving (a recorded miss), unserved, after the others. Throws the
    /// `FaultSpecError` when the configured faults do not fit it; it is then not served.
    func learn(_ exchange: Exchange) throws {
        let plan = try ReplaySchedule.plan(for: exchange, pacing: configuration.pacing, faults: configuration.faults)
        let wire = PlanWire(plan: plan, allocator: allocator)
        state.withLockedValue { s in
            s.plans.append(plan)
            s.wires.append(wire)
            s.matcher.append(exchange)
        }
    }

    /// Notes a miss answered 404, for `GET /__streamtape/misses`.
    func noteMiss(_ json: String) { state.withLockedValue { $0.missBodies.append(json) } }

    /// `{"misses":[...]}`: the 404 bodies of the misses answered so far, in order.
    var missesJSON: String { state.withLockedValue { #"{"misses":["# + $0.missBodies.joined(separator: ",") + "]}" } }

    /// How many exchanges can be served (loaded and learned).
    var count: Int { state.withLockedValue { $0.plans.count } }

    /// How many exchanges were served.
    var served: Int { state.withLockedValue { $0.matcher.servedCount } }

    /// Rewinds the matcher.
    func reset() { state.withLockedValue { $0.matcher.reset() } }
}
