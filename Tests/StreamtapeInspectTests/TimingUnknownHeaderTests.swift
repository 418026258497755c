import Testing
import StreamtapeCore
@testable import StreamtapeInspect

@Suite struct TimingUnknownHeaderTests {
    @Test func anImportedExchangeSaysItsTimingIsUnknownInTheHeader() throws {
        var exchange = Fixtures.exchange(Fixtures.midstreamError(), chunk: 64)
        var s = InspectorState()
        let recorded = ExchangeScreen.render(&s, try Fixtures.document(exchange), width: 100, height: 24).text.components(separatedBy: "\n")
        #expect(recorded[1] == " TTFB 10ms  duration 221ms  events 11  chunks 22  1.3kB  findings 1E")
        exchange.timingUnknown = true
        let imported = ExchangeScreen.render(&s, try Fixtures.document(exchange), width: 100, height: 24).text.components(separatedBy: "\n")
        #expect(imported[1] == " TTFB 10ms  duration 221ms  events 11  chunks 22  1.3kB  timing unknown  findings 1E")
    }
}
