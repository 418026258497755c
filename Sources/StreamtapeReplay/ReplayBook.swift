import Foundation
import NIOCore
import StreamtapeCore

/// What every connection of one server shares: the plans, built once at start (so a fault that does
/// not fit a stream fails at start, not mid-test), and the matcher with what was served.
final class ReplayBook: @unchecked Sendable { // matcher guarded by lock
    let plans: [ReplayPlan]
    /// Each plan's segments as buffers, made once: every request sends them without copying.
    let buffers: [[ByteBuffer]]
    let configuration: ReplayConfiguration
    private let lock = NSLock()
    private var matcher: ReplayMatcher

    init(exchanges: [Exchange], configuration: ReplayConfiguration) throws {
        var plans: [ReplayPlan] = []
        for (index, e) in exchanges.enumerated() {
            do {
                plans.append(try ReplaySchedule.plan(for: e, pacing: configuration.pacing, faults: configuration.faults))
            } catch {
                var err = error
                err.reason += " (exchange \(e.id.map(String.init) ?? "#\(index + 1)"))"
                throw err
            }
        }
        self.plans = plans
        let allocator = ByteBufferAllocator()
        buffers = plans.map { $0.segments.map { allocator.buffer(bytes: $0.bytes) } }
        self.configuration = configuration
        matcher = ReplayMatcher(exchanges: exchanges, mode: configuration.match, ignoreFields: configuration.ignoreFields)
    }

    /// The index of the plan answering a request, or the miss.
    func answer(method: String, target: String, body: [UInt8]) -> Result<Int, ReplayMiss> {
        lock.withLock { matcher.match(method: method, target: target, body: body) }
    }

    /// How many exchanges were served.
    var served: Int { lock.withLock { matcher.servedCount } }

    /// Rewinds the matcher.
    func reset() { lock.withLock { matcher.reset() } }
}
