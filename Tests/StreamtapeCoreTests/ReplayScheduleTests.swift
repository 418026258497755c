import Testing
@testable import StreamtapeCore

@Suite struct ReplayScheduleTests {
    private let ms: UInt64 = 1_000_000

    @Test func deadlinesAreRecordedOffsetsDividedBySpeed() throws {
        let e = ReplayFixtures.exchange(chunks: [(10 * ms, "data: a\n\n"), (30 * ms, "data: b\n\n"), (1_000 * ms, "data: c\n\n")])
        let p1 = try ReplaySchedule.plan(for: e)
        #expect(p1.headAt == 1 * ms)
        #expect(p1.segments.map(\.at) == [10 * ms, 30 * ms, 1_000 * ms])
        #expect(p1.endAt == 1_000 * ms + 500_000)
        let p10 = try ReplaySchedule.plan(for: e, pacing: .init(speed: 10))
        #expect(p10.headAt == 100_000)
        #expect(p10.segments.map(\.at) == [1 * ms, 3 * ms, 100 * ms])
        #expect(p10.body == p1.body)
    }

    @Test func deadlinesDoNotAccumulateRoundingOverALongStream() {
        // 60 s of chunks every 7 ms at speed 3: each deadline is its own offset / 3, never a running sum.
        let recorded = (0..<8_572).map { UInt64($0) * 7 * ms + 333 }
        let d = ReplayPacing(speed: 3).deadlines(recorded)
        for (r, t) in zip(recorded, d) { #expect(t == UInt64((Double(r) / 3).rounded())) }
        #expect(d.last == 19_999_000_111) // (8571 * 7 ms + 333 ns) / 3
    }

    @Test func maxGapCapsPausesAfterSpeedAndShiftsWhatFollows() {
        let d = ReplayPacing(speed: 2, maxGapNs: 100 * ms).deadlines([0, 100 * ms, 1_100 * ms, 1_200 * ms, 1_200 * ms])
        // gaps after speed: 50, 500 -> 100, 50, 0
        #expect(d == [0, 50 * ms, 150 * ms, 200 * ms, 200 * ms])
    }

    @Test func instantSendsEverythingAtRequestTime() throws {
        let e = ReplayFixtures.exchange(chunks: [(10 * ms, "data: a\n\n"), (900 * ms, "data: b\n\n")])
        let p = try ReplaySchedule.plan(for: e, pacing: .init(instant: true))
        #expect(p.headAt == 0 && p.endAt == 0 && p.segments.map(\.at) == [0, 0])
    }

    @Test func unknownTimingIsServedInstantlyUnlessASpeedOrGapCapIsAskedFor() throws {
        var e = ReplayFixtures.exchange(chunks: [(10 * ms, "data: a\n\n"), (900 * ms, "data: b\n\n")])
        e.timingUnknown = true
        let p = try ReplaySchedule.plan(for: e)
        #expect(p.headAt == 0 && p.endAt == 0 && p.segments.map(\.at) == [0, 0])
        let asked = try ReplaySchedule.plan(for: e, pacing: .init(speed: 10, pacesUnknownTiming: true))
        #expect(asked.segments.map(\.at) == [1 * ms, 90 * ms])
        let rechunked = try ReplaySchedule.plan(for: e, faults: [.rechunk(size: 1)])
        #expect(rechunked.segments.count == 18 && rechunked.segments.allSatisfy { $0.at == 0 })
    }

    @Test func hopByHopHeadersAreReplacedByTheFramingInForce() throws {
        let streamed = ReplayFixtures.exchange(chunks: [(ms, "data: a\n\n")], headers: [
            Header("Content-Type", "text/event-stream"), Header("Transfer-Encoding", "chunked"), Header("Connection", "keep-alive, x-hop"),
            Header("Keep-Alive", "timeout=5"), Header("x-hop", "1"), Header("X-Request-Id", "req_1"), Header("Content-Length", "9"),
        ])
        let head = try ReplaySchedule.plan(for: streamed).head
        #expect(head.chunked)
        #expect(head.headers == [Header("Content-Type", "text/event-stream"), Header("X-Request-Id", "req_1"), Header("transfer-encoding", "chunked")])

        let fixed = ReplayFixtures.exchange(chunks: [(ms, "{\"a\":"), (2 * ms, "1}")],
                                            headers: [Header("content-type", "application/json"), Header("content-length", "7")])
        let fixedHead = try ReplaySchedule.plan(for: fixed).head
        #expect(!fixedHead.chunked)
        #expect(fixedHead.headers == [Header("content-type", "application/json"), Header("content-length", "7")])
    }

    @Test func aRecordingWithoutResponseReplaysAs502() throws {
        var e = ReplayFixtures.exchange(chunks: [])
        e.response = nil
        e.end = ExchangeEnd(offsetNs: 0, state: .upstreamError, error: "Could not resolve host")
        let p = try ReplaySchedule.plan(for: e)
        #expect(p.head.status == 502)
        #expect(String(decoding: p.body, as: UTF8.self) == #"{"error":{"type":"streamtape_recorded_failure","message":"the recorded exchange got no response: Could not resolve host"}}"#)
    }

    @Test func aRecordingThatDiedMidStreamEndsByClosingTheConnection() throws {
        let e = ReplayFixtures.exchange(chunks: [(ms, "data: a\n\n")], end: .upstreamReset)
        #expect(try ReplaySchedule.plan(for: e).ending == .abort)
        #expect(try ReplaySchedule.plan(for: ReplayFixtures.exchange(chunks: [(ms, "data: a\n\n")])).ending == .complete)
    }
}

@Suite struct ReplayPlaybackTests {
    private let ms: UInt64 = 1_000_000

    private func plan() throws -> ReplayPlan {
        try ReplaySchedule.plan(for: ReplayFixtures.exchange(chunks: [(10 * ms, "data: a\n\n"), (20 * ms, "data: b\n\n"), (30 * ms, "data: c\n\n")]))
    }

    @Test func eachActionRunsAtItsDeadlineOnAManualClock() async throws {
        let clock = ManualReplayClock(start: 5_000 * ms)
        var log: [(ReplayAction, UInt64)] = []
        try await ReplayPlayer.play(try plan(), on: clock) { log.append(($0, $1)) }
        #expect(log.map(\.1) == [5_001 * ms, 5_010 * ms, 5_020 * ms, 5_030 * ms, 5_030 * ms + 500_000])
        #expect(log.map(\.0) == [.head(try plan().head), .bytes(Array("data: a\n\n".utf8)), .bytes(Array("data: b\n\n".utf8)),
                                 .bytes(Array("data: c\n\n".utf8)), .end(.complete)])
    }

    @Test func aSlowWriteDoesNotPushBackLaterDeadlines() async throws {
        // The first body write takes 15 ms: the second is late (sent at once), the third is on time.
        let clock = ManualReplayClock()
        var times: [UInt64] = []
        try await ReplayPlayer.play(try plan(), on: clock) { action, now in
            if case .bytes = action { times.append(now); if times.count == 1 { clock.advance(by: 15 * ms) } }
        }
        #expect(times == [10 * ms, 25 * ms, 30 * ms])
    }

    @Test func nextReportsWaitUntilTheAbsoluteDeadline() throws {
        var p = ReplayPlayback(plan: try plan(), start: 100)
        #expect(p.next(now: 0) == .wait(until: 100 + ms))
        guard case .head = p.next(now: 100 + ms) else { Issue.record("expected head"); return }
        #expect(p.next(now: 100 + ms) == .wait(until: 100 + 10 * ms))
        #expect(p.next(now: 100 + 50 * ms) == .bytes(Array("data: a\n\n".utf8)))
        #expect(p.lastSegmentIndex == 0)
        #expect(p.next(now: 100 + 50 * ms) == .bytes(Array("data: b\n\n".utf8)))
        #expect(p.lastSegmentIndex == 1)
    }
}
