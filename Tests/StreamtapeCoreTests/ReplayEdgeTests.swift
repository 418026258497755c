import Testing
@testable import StreamtapeCore

/// Inputs that used to trap: plans with no body writes, and numbers too large for a deadline.
@Suite struct ReplayEdgeTests {
    private let ms: UInt64 = 1_000_000

    private func actions(_ plan: ReplayPlan) async throws -> [ReplayAction] {
        var log: [ReplayAction] = []
        try await ReplayPlayer.play(plan, on: ManualReplayClock(start: 7)) { action, _ in log.append(action) }
        return log
    }

    @Test func cutBeforeEventZeroSendsTheHeadThenCloses() async throws {
        let chat = ReplayFixtures.exchange(corpus: "01-openai-chat-text")
        for faults in [["cut@0"], ["cut@0", "rechunk=5"]] {
            let plan = try ReplaySchedule.plan(for: chat, faults: faults.map { try FaultSpec(parsing: $0) })
            #expect(try await actions(plan) == [.head(plan.head), .end(.abort)], "\(faults)")
        }
        let instant = try ReplaySchedule.plan(for: chat, pacing: .init(instant: true), faults: [.cut(before: 0)])
        #expect(try await actions(instant) == [.head(instant.head), .end(.abort)])
    }

    @Test func anExchangeWithNoChunksSendsTheHeadAndAnEmptyBody() async throws {
        let empty = ReplayFixtures.exchange(chunks: [])
        let plan = try ReplaySchedule.plan(for: empty)
        #expect(plan.segments.isEmpty)
        #expect(try await actions(plan) == [.head(plan.head), .end(.complete)])
    }

    @Test func cutAtNDeliversEventsZeroToNMinusOne() throws {
        let e = ReplayFixtures.exchange(chunks: [(10 * ms, "data: a\n\n"), (20 * ms, "data: b\n\n"), (30 * ms, "data: c\n\n")])
        #expect(try ReplaySchedule.plan(for: e, faults: [.cut(before: 1)]).body == Array("data: a\n\n".utf8))
        #expect(try ReplaySchedule.plan(for: e, faults: [.cut(before: 3)]).body == Array("data: a\n\ndata: b\n\ndata: c\n\n".utf8))
        do { _ = try ReplaySchedule.plan(for: e, faults: [.cut(before: 4)]); Issue.record("expected an error") } catch {
            #expect(error.description == "bad fault 'cut@4': the stream has 3 event(s), #0 to #2; @N is before event #N, so N goes from 0 to 3")
        }
        do { _ = try ReplaySchedule.plan(for: ReplayFixtures.exchange(chunks: []), faults: [.cut(before: 1)]); Issue.record("expected an error") } catch {
            #expect(error.description == "bad fault 'cut@1': the stream has no events; @N is before event #N, so N goes from 0 to 0")
        }
    }

    @Test func aSpeedTooSmallForTheTapeClampsDeadlinesInsteadOfTrapping() throws {
        let e = ReplayFixtures.exchange(chunks: [(10 * ms, "data: a\n\n")])
        let plan = try ReplaySchedule.plan(for: e, pacing: .init(speed: 5e-324), faults: [.stall(before: 1, seconds: 3600)])
        #expect(plan.segments.map(\.at) == [.max])
        #expect(plan.endAt == .max)
        var playback = ReplayPlayback(plan: plan, start: 1_000)
        #expect(playback.next(now: 1_000) == .wait(until: .max))
        #expect(ReplayPacing(speed: 1e-300, maxGapNs: 5).deadlines([0, .max, .max]) == [0, 5, 5])
    }

    @Test func secondsBeyondTheLimitAreRefusedNotConverted() {
        #expect(ReplayNanoseconds.from(seconds: 1.5, limit: 10) == 1_500_000_000)
        #expect(ReplayNanoseconds.from(seconds: 1e20, limit: 86_400) == nil)
        #expect(ReplayNanoseconds.from(seconds: -1, limit: 86_400) == nil)
        #expect(ReplayNanoseconds.from(seconds: .nan, limit: 86_400) == nil)
        #expect(ReplayNanoseconds.from(seconds: 1e19, limit: 1e20) == nil)
    }

    @Test func hugeFaultNumbersAreRefusedWithTheReason() {
        let cases = [
            ("cut@99999999999999999999", "N must be an event number (0 or more; @N is before event #N), got '99999999999999999999'"),
            ("stall@3=1e300", "SECONDS must be a number from 0 to 3600, got '1e300'"),
            ("stall@99999999999999999999=1", "N must be an event number (0 or more; @N is before event #N), got '99999999999999999999'"),
            ("rechunk=99999999999999999999", "K must be a byte count of 1 or more"),
            ("rechunk=random:99999999999999999999", "SEED must be a whole number"),
            ("status=99999999999999999999", "CODE must be an HTTP error status from 400 to 599"),
        ]
        for (spec, reason) in cases {
            #expect(throws: FaultSpecError(spec: spec, reason: reason)) { try FaultSpec(parsing: spec) }
        }
    }
}
