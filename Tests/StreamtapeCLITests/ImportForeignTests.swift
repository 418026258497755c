import Foundation
import Testing

/// `streamtape import` of VCR cassettes and HAR through the real binary, and `export --format cassette`.
@Suite struct ImportForeignTests {
    static func fixture(_ name: String) -> String {
        CLI.root.appendingPathComponent("Tests/StreamtapeImportTests/Fixtures/\(name)").path
    }

    /// A cassette whose one body is 241 bytes of brotli that decode to 300 MiB of zeros (Fixtures/make-brotli.sh).
    static func brotliBombCassette() -> String {
        let bomb = FileManager.default.contents(atPath: fixture("bomb-300MiB.br"))!
        return "interactions:\n- request: {body: null, headers: {}, method: GET, uri: 'https://x.test/'}\n  response:\n"
            + "    body: {string: !!binary '\(bomb.base64EncodedString())'}\n    headers: {Content-Encoding: [br]}\n    status: {code: 200, message: OK}\n"
    }

    private func listJSON(_ archive: String) throws -> [[String: Any]] {
        try CLI.run(["list", "--json", "--archive", archive]).lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func cassettesAndHARImportOneExchangePerInteractionWithTagsAndUnknownTiming() throws {
        let archive = CLI.tempDir().appendingPathComponent("a.sqlite").path
        let r = try CLI.run(["import", "--archive", archive, "--tag", "vcr", Self.fixture("anthropic-mixed-image-get-and-stream.yaml"),
                             Self.fixture("generic-sse-empty-body-mitmproxy.har")])
        #expect(r.status == 0)
        #expect(r.stdout == "1\n2\n3\n4\n5\n")
        let rows = try listJSON(archive)
        #expect(rows.map { $0["method"] as? String } == ["HEAD", "HEAD", "POST", "GET", "GET"])
        #expect(rows.map { $0["dialect"] as? String }[2] == "anthropic")
        #expect(rows.allSatisfy { $0["tags"] as? [String] == ["vcr"] && $0["timing_known"] as? Bool == false })
        let show = try CLI.run(["show", "3", "--archive", archive])
        #expect(show.lines[1] == "timing unknown: the source did not record chunk times (replay serves it instantly)")
        let text = try CLI.run(["show", "3", "--text", "--archive", archive])
        #expect(text.lines.first?.hasPrefix("This image shows a **brown pelican**") == true)
    }

    @Test func recordedExchangesSayTheirTimingIsKnown() throws {
        let archive = CLI.tempDir().appendingPathComponent("a.sqlite").path
        #expect(try CLI.run(["import", "--archive", archive, CLI.root.appendingPathComponent("captures/openai-chat-text.tape.jsonl").path]).status == 0)
        #expect(try listJSON(archive).map { $0["timing_known"] as? Bool } == [true])
        #expect(try CLI.run(["show", "1", "--archive", archive]).stdout.contains("timing unknown") == false)
    }

    @Test func theFormatComesFromTheExtensionThenTheContentAndFormatForcesIt() throws {
        let dir = CLI.tempDir()
        let archive = dir.appendingPathComponent("a.sqlite").path
        let noExtension = dir.appendingPathComponent("cassette").path
        let harAsJSON = dir.appendingPathComponent("export.json").path
        let cassetteAsSSE = dir.appendingPathComponent("cassette.sse").path
        try FileManager.default.copyItem(atPath: Self.fixture("openai-responses-stream.yaml"), toPath: noExtension)
        try FileManager.default.copyItem(atPath: Self.fixture("generic-chrome-export-base64.har"), toPath: harAsJSON)
        try FileManager.default.copyItem(atPath: Self.fixture("vcrpy-migration-new.json"), toPath: cassetteAsSSE)
        #expect(try CLI.run(["import", "--archive", archive, noExtension, harAsJSON]).stdout == "1\n2\n3\n4\n")
        #expect(try CLI.run(["import", "--archive", archive, "--format", "cassette", cassetteAsSSE]).stdout == "5\n")
        let rows = try listJSON(archive)
        #expect(rows.map { $0["dialect"] as? String }[0] == "openai-responses")
        #expect(rows.map { $0["method"] as? String }[4] == "GET")
        #expect(rows.map { $0["target"] as? String }[4] == "/ip")
        // Without --format the extension wins: the same file is a raw SSE body.
        let other = dir.appendingPathComponent("b.sqlite").path
        #expect(try CLI.run(["import", "--archive", other, cassetteAsSSE]).stdout == "1\n")
        #expect(try listJSON(other).map { $0["method"] as? String } == [""])
        let bad = try CLI.run(["import", "--archive", archive, "--format", "har", Self.fixture("openai-chat-stream.yaml")])
        #expect(bad.status == 3)
        #expect(bad.stderr == "streamtape: \(Self.fixture("openai-chat-stream.yaml")):1: not valid JSON: unexpected character 'i'\n")
    }

    @Test(arguments: [
        ("bad.yaml", "interactions:\n- request: {method: GET\n  uri: x\n", ":3: not valid YAML: "),
        ("types.yaml", "interactions:\n- request: {method: 7, uri: 'https://x.test/', body: null, headers: {}}\n  response: {status: {code: 200}, body: {string: ''}}\n",
         ":2: interaction 1: \"method\" must be a string, not a number"),
        ("bad.json", "{\"interactions\": [\n  {\"request\": 1}\n]}", ":2: interaction 1: \"request\" must be a mapping, not a number"),
        ("bad.har", "{\"log\": {\"entries\": [{\"startedDateTime\": 3}]}}", ":1: entry 1: \"startedDateTime\" must be a string, not a number"),
        ("bomb.yaml", brotliBombCassette(), ": body of interaction 1 is larger than 256 MiB"),
    ])
    func aMalformedFileIsOneLineExit3AndLeavesTheArchiveUnchanged(name: String, content: String, message: String) throws {
        let dir = CLI.tempDir()
        let archive = dir.appendingPathComponent("a.sqlite").path
        #expect(try CLI.run(["import", "--archive", archive, Self.fixture("openai-chat-stream.yaml")]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: archive))
        let bad = dir.appendingPathComponent(name)
        try Data(content.utf8).write(to: bad)
        let r = try CLI.run(["import", "--archive", archive, Self.fixture("anthropic-messages-stream.yaml"), bad.path])
        #expect(r.status == 3)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("streamtape: \(bad.path)\(message)"))
        #expect(r.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive)) == before)
        #expect(try listJSON(archive).count == 2)
    }

    @Test func importExportImportGivesTheSameExchanges() throws {
        let dir = CLI.tempDir()
        let archive = dir.appendingPathComponent("a.sqlite").path
        let names = ["openai-chat-stream.yaml", "anthropic-messages-stream-gzip-binary.yaml", "openai-responses-nonstream-gzip-binary.yaml",
                     "anthropic-mixed-image-get-and-stream.yaml"]
        let imported = try CLI.run(["import", "--archive", archive] + names.map(Self.fixture))
        #expect(imported.stdout == "1\n2\n3\n4\n5\n6\n7\n")
        let cassette = dir.appendingPathComponent("out.yaml").path
        let export = try CLI.run(["export", "1", "2", "3", "4", "5", "6", "7", "--format", "cassette", "-o", cassette, "--archive", archive])
        #expect(export.status == 0)
        #expect(try CLI.run(["import", "--archive", archive, cassette]).stdout == "8\n9\n10\n11\n12\n13\n14\n")
        for id in 1...7 {
            let a = try CLI.run(["export", "\(id)", "--archive", archive])
            let b = try CLI.run(["export", "\(id + 7)", "--archive", archive])
            #expect(a.status == 0)
            #expect(a.stdout == b.stdout)
        }
        let one = try CLI.run(["export", "1", "2", "--format", "tape", "--archive", archive])
        #expect(one.status == 2)
        #expect(one.stderr.contains("only --format cassette exports several exchanges into one file"))
    }
}
