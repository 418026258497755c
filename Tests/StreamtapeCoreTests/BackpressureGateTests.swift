@testable import StreamtapeCore
import Testing

@Suite struct BackpressureGateTests {
    @Test func aBacklogAboveHighWaterPausesAndBelowLowWaterResumes() {
        var g = BackpressureGate(highWater: 100, lowWater: 40)
        #expect(g.delivered(60) == nil)
        #expect(g.delivered(41) == .pause)
        #expect(g.delivered(10) == nil)
        #expect(g.consumed(60) == nil)      // 51 left: still above low water
        #expect(g.consumed(12) == .resume)  // 39 left
        #expect(g.inFlight == 39)
    }

    @Test func eitherReasonKeepsTheTransferPaused() {
        var g = BackpressureGate(highWater: 100, lowWater: 40)
        #expect(g.client(full: true) == .pause)
        #expect(g.delivered(200) == nil)
        #expect(g.client(full: false) == nil)   // the backlog still holds it
        #expect(g.consumed(200) == .resume)
        #expect(g.client(full: true) == .pause)
        #expect(g.client(full: true) == nil)
        #expect(g.client(full: false) == .resume)
        #expect(g.pauses == 2, "each pause counted once, whatever holds it")
    }

    @Test func aBackloggedSinkPausesUntilItCatchesUpWhateverTheOtherReasons() {
        var g = BackpressureGate(highWater: 100, lowWater: 40)
        #expect(g.sink(backlogged: true) == .pause)
        #expect(g.client(full: true) == nil)
        #expect(g.client(full: false) == nil)   // the sink still holds it
        #expect(g.sink(backlogged: false) == .resume)
        #expect(g.delivered(200) == .pause)
        #expect(g.sink(backlogged: true) == nil)
        #expect(g.consumed(200) == nil)         // the sink still holds it
        #expect(g.sink(backlogged: false) == .resume)
    }
}
