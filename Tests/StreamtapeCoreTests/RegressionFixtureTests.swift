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
                                             "tape-har-query-bare-equals.tape.jsonl", "tape-started-year-0000.tape.jsonl",
                                             "tape-t-huge.tape.jsonl"])
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
            try expectHARExport(exchange, query: expected["har_query"] as? [[String]])
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

    /// `replay-many-bare-requests.replay` (the fuzz target's layout: a mode byte, then NUL-separated parts, the
    /// first a field list, then `METHOD TARGET\nBODY` requests): 1,541 recorded requests, 1,429 of them bare
    /// (wildcards). Each match sorted all wildcards and compared every served key again (over 10 s under the
    /// fuzzer); now served ones are skipped first. Each recorded request still finds its own exchange, in
    /// order, and the last finds every candidate served.
    @Test func manyBareRequestsEachFindTheirOwnExchange() {
        let input = RegressionFixtures.bytes("replay-many-bare-requests.replay")
        let parts = input.dropFirst().split(separator: 0, omittingEmptySubsequences: false)
        let requests = parts.dropFirst().map { part -> (String, String, [UInt8]) in
            let lines = part.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
            let line = String(decoding: lines.first ?? [], as: UTF8.self).split(separator: " ", maxSplits: 1)
            return (line.first.map(String.init) ?? "", line.count > 1 ? String(line[1]) : "", lines.count > 1 ? Array(lines[1]) : [])
        }
        let recorded = requests.dropLast().map { Exchange(startedMs: 0, request: CapturedRequest(method: $0.0, target: $0.1, body: $0.2)) }
        #expect(input.first == 0 && recorded.count == 1541 && recorded.filter { $0.request.method.isEmpty }.count == 1429)
        var matcher = ReplayMatcher(exchanges: recorded, mode: .request, ignoreFields: ["metadata.user", "messages.*.name"])
        let results = requests.map { matcher.match(method: $0.0, target: $0.1, body: $0.2) }
        #expect(results.dropLast().map { try? $0.get() } == Array(0..<1541))
        guard case .failure(let miss) = results.last else { Issue.record("the last request was answered"); return }
        #expect(miss.alreadyServed == 1429 && miss.recorded == 1541 && miss.closest.map(\.index) == [5, 6, 7])
    }

    /// An accepted tape exports to HAR as JSON; `query`, when given, is the `queryString` it must list.
    private func expectHARExport(_ exchange: Exchange, query: [[String]]?) throws {
        let har = try JSONSerialization.jsonObject(with: Data(HAR.encode([exchange], creatorVersion: "test").utf8)) as? [String: Any]
        let entries = (har?["log"] as? [String: Any])?["entries"] as? [[String: Any]]
        #expect(entries?.count == 1)
        guard let query else { return }
        let listed = (entries?.first?["request"] as? [String: Any])?["queryString"] as? [[String: String]]
        #expect(listed?.map { [$0["name"] ?? "?", $0["value"] ?? "?"] } == query)
    }
}
