import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeImport

/// import → export as a cassette → import gives the same exchanges.
@Suite struct RoundTripTests {
    @Test(arguments: ImportFixtures.importable)
    func aCassetteWrittenByStreamtapeReadsBackAsTheSameExchanges(name: String) throws {
        let first = try ImportFixtures.read(name)
        let text = CassetteWriter.encode(first)
        let again = try CassetteReader.read(Array(text.utf8))
        #expect(again.count == first.count)
        for (a, b) in zip(first, again) {
            var a = a
            // The cassette carries no start time of its own: it comes back from the Date header (to the
            // second; HAR's startedDateTime has milliseconds), else the fallback.
            a.startedMs = a.response?.headers.value(for: "date") == nil ? 0 : a.startedMs - a.startedMs % 1000
            // HAR keeps the time the head arrived; a cassette has no times at all.
            a.response?.offsetNs = 0; a.chunks = a.chunks.map { Chunk(seq: $0.seq, offsetNs: 0, bytes: $0.bytes) }
            a.end?.offsetNs = 0
            #expect(a == b)
        }
    }

    @Test func bodiesThatYAMLWouldAlterAreWrittenSoTheyComeBackByteForByte() throws {
        let bodies: [[UInt8]] = [Array("data: a\r\n\r\n".utf8), [0xFF, 0x00, 0x1F], Array("x\u{2028}y\u{85}z \n\n  ".utf8),
                                 Array("é \"'\\ 🎉\t".utf8), []]
        let exchanges = bodies.map { body in
            Exchange(startedMs: 0, upstream: "https://x.test", request: CapturedRequest(method: "POST", target: "/v1?q=1", body: body),
                     response: CapturedResponse(status: 429, headers: [Header("content-type", "text/event-stream")]),
                     chunks: body.isEmpty ? [] : [Chunk(seq: 0, offsetNs: 0, bytes: body)],
                     end: ExchangeEnd(offsetNs: 0, state: .complete), timingUnknown: true)
        }
        let text = CassetteWriter.encode(exchanges)
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        #expect(try CassetteReader.read(Array(text.utf8)) == exchanges)
    }

    @Test func theCassetteHasVcrpysLayout() {
        let e = Exchange(startedMs: 0, upstream: "https://api.test", request: CapturedRequest(method: "GET", target: "/m", headers: [Header("Accept", "a"), Header("accept", "b")]),
                         response: CapturedResponse(status: 200, headers: []), end: ExchangeEnd(offsetNs: 0, state: .complete))
        #expect(CassetteWriter.encode([e]) == """
            interactions:
            - request:
                body: null
                headers:
                  "Accept":
                  - "a"
                  - "b"
                method: "GET"
                uri: "https://api.test/m"
              response:
                body:
                  string: ""
                headers: {}
                status:
                  code: 200
                  message: "OK"
            version: 1

            """)
    }
}
