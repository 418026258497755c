import Foundation
import Testing
@testable import StreamtapeCore

/// The hand-written broken streams in `Fixtures/broken`, each with its expected analysis beside it.
enum BrokenFixtures {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/broken")

    /// Body file names, sorted.
    static var files: [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return all.filter { $0.hasSuffix(".sse") || $0.hasSuffix(".ndjson") }.sorted()
    }

    static func data(_ file: String) -> Data { (try? Data(contentsOf: folder.appendingPathComponent(file))) ?? Data() }
}

@Suite struct DiagnosticFixtureTests {
    @Test func thereAreSevenBrokenFixtures() {
        #expect(BrokenFixtures.files.count == 7)
    }

    @Test("each broken fixture gives exactly its expected dialect, answer and findings", arguments: BrokenFixtures.files)
    func fixtureGivesExpectedFindings(file: String) throws {
        let stem = file.components(separatedBy: ".").first!
        let expected = try JSONSerialization.jsonObject(with: BrokenFixtures.data(stem + ".expected.json")) as! [String: Any]
        let analysis = Analysis.analyze(DiagExchange.raw([UInt8](BrokenFixtures.data(file))))
        #expect(analysis.dialect.rawValue == expected["dialect"] as? String)
        #expect(analysis.framing.rawValue == expected["framing"] as? String)
        #expect(analysis.assembly.text == expected["text"] as? String)
        #expect(analysis.assembly.stop == expected["stop"] as? String)
        let spots = (expected["findings"] as! [[String: Any]]).map {
            FindingSpot($0["code"] as! String, Severity(rawValue: $0["severity"] as! String)!, $0["offset"] as! Int, $0["event"] as? Int)
        }
        #expect(analysis.findings.map(FindingSpot.init) == spots)
        #expect(analysis.findings.allSatisfy { !$0.message.isEmpty })
    }
}
