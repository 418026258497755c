import Foundation
import NIOPosix
import StreamtapeCore
import StreamtapeReplay
import Testing

/// The exact schedule is tested on a manual clock in Core; here the live server is checked loosely:
/// no chunk arrives before its deadline, and, once the first one is out (the machine may be busy when
/// the request is read), every later chunk keeps the schedule within a generous bound.
@Suite(.serialized) struct ReplayLivePacingTests {
    private let ms: UInt64 = 1_000_000

    private func arrivals(speed: Double) async throws -> (offsets: [Double], deadlines: [Double]) {
        let times: [UInt64] = (0..<10).map { UInt64($0) * 60 * ms + 20 * ms }
        let e = ReplayTestFixtures.timed(times.map { ($0, "data: \($0)\n\n") })
        // An event loop of its own: other suites' servers share the default group and keep it busy.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ReplayServer.start(exchanges: [e], configuration: .init(pacing: .init(speed: speed)), group: group)
        let result = await RawClient.exchange(port: server.port, request: rawRequest())
        try await server.stop()
        try await group.shutdownGracefully()
        let response = try #require(RawResponse(result))
        #expect(response.complete)
        return (response.chunkArrivals.map { Double($0 - result.sentAt) / 1e6 }, times.map { Double($0) / 1e6 / speed })
    }

    @Test(arguments: [1.0, 10.0])
    func chunksArriveOnScheduleAtSpeed(_ speed: Double) async throws {
        // Never early, in every attempt. Late beyond the bound only counts when all 3 attempts are:
        // this shared 2-core machine sometimes stalls every thread for tens of milliseconds.
        var lateness: [String] = []
        for _ in 1...3 {
            let (offsets, deadlines) = try await arrivals(speed: speed)
            #expect(offsets.count == deadlines.count)
            for (got, want) in zip(offsets, deadlines) {
                #expect(got >= want - 0.5, "chunk early: \(got) ms, deadline \(want) ms")
            }
            let startLateness = offsets[0] - deadlines[0]
            lateness = zip(offsets, deadlines).compactMap { got, want in
                got - startLateness <= want + 50 ? nil : "chunk late: \(got) ms, deadline \(want) ms, start \(startLateness) ms late"
            }
            if startLateness >= 500 { lateness.append("first chunk \(startLateness) ms late") }
            if lateness.isEmpty { break }
        }
        #expect(lateness.isEmpty, "\(lateness)")
    }
}
