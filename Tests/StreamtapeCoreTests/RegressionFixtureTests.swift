import Foundation
import Testing
@testable import StreamtapeCore

/// The inputs in `Fixtures/regressions` that once crashed or were misread, each with its expected result beside it.
enum RegressionFixtures {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/regressions")

    /// Input file names (raw bodies and tapes), sorted.
    static var files: [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return all.filter { $0.hasSuffix(".sse") || $0.hasSuffix(".ndjson") || $0.hasSuffix(".tape.jsonl") }.sorted()
    }

    static func bytes(_ file: String) -> [UInt8] { [UInt8]((try? Data(contentsOf: folder.appendingPathComponent(file))) ?? Data()) }
}

@Suite struct RegressionFixtureTests {
    @Test func everyRegressionInputIsThere() {
        #expect(RegressionFixtures.files == ["anthropic-block-index-int-max.sse", "openai-responses-sequence-extremes.sse",
                                             "tape-started-year-0000.tape.jsonl", "tape-t-huge.tape.jsonl"])
    }

    @Test("each regression input gives exactly its expected findings or error, and never traps", arguments: RegressionFixtures.files)
    func regressionInputGivesItsExpectedResult(file: String) throws {
        let stem = file.components(separatedBy: ".").first!
        let expected = try JSONSerialization.jsonObject(with: Data(RegressionFixtures.bytes(stem + ".expected.json"))) as! [String: Any]
        let bytes = RegressionFixtures.bytes(file)
        let exchange: Exchange
        if file.hasSuffix(".tape.jsonl") {
            do { exchange = try Tape.decode(bytes) } catch {
                #expect("\(error)" == expected["error"] as? String)
                return
            }
            #expect(expected["error"] == nil, "the tape was accepted")
        } else {
            exchange = RawBody.exchange(bytes, ndjson: file.hasSuffix(".ndjson"))
        }
        let analysis = Analysis.analyze(exchange)
        #expect(analysis.dialect.rawValue == expected["dialect"] as? String)
        let spots = (expected["findings"] as! [[String: Any]]).map {
            FindingSpot($0["code"] as! String, Severity(rawValue: $0["severity"] as! String)!, $0["offset"] as! Int, $0["event"] as? Int)
        }
        #expect(analysis.findings.map(FindingSpot.init) == spots)
        // Every view of the same events goes through the same numbers: the event lines and the assembler too.
        _ = EventLines.encode(analysis.events, chunks: exchange.chunks)
        var assembler = Assembler(dialect: analysis.dialect)
        for event in analysis.events { assembler.add(event) }
        #expect(assembler.assembly == analysis.assembly)
    }
}
