import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeImport

/// Bad input is one `ImportError` naming the line and the interaction or entry, never a crash.
@Suite struct MalformedInputTests {
    private func cassetteError(_ text: String) -> ImportError? {
        do { _ = try CassetteReader.read(Array(text.utf8)); return nil } catch { return error }
    }

    private func harError(_ text: String) -> ImportError? {
        do { _ = try HARReader.read(Array(text.utf8)); return nil } catch { return error }
    }

    private static let good = """
    interactions:
    - request:
        body: null
        headers: {}
        method: GET
        uri: https://x.test/a
      response:
        body: {string: "data: 1\\n\\n"}
        headers: {}
        status: {code: 200, message: OK}
    """

    @Test func malformedYAMLNamesTheLine() {
        #expect(cassetteError("interactions:\n- request: {method: GET\n  uri: x\n")?.line == 3)
        #expect(cassetteError("interactions:\n- request: {method: GET\n  uri: x\n")?.reason.hasPrefix("not valid YAML: ") == true)
    }

    @Test func wrongTypesNameTheInteractionAndLine() {
        #expect(cassetteError(Self.good.replacingOccurrences(of: "code: 200", with: "code: OK"))
                == ImportError(line: 10, "interaction 1: \"code\" must be an HTTP status code (0-999)"))
        #expect(cassetteError(Self.good.replacingOccurrences(of: "method: GET", with: "method: [GET]"))
                == ImportError(line: 5, "interaction 1: \"method\" must be a string, not a list"))
        #expect(cassetteError(Self.good.replacingOccurrences(of: "body: {string: \"data: 1\\n\\n\"}", with: "headers2: {}"))
                == ImportError(line: 8, "interaction 1: missing \"body\""))
        #expect(cassetteError("interactions: 3\n") == ImportError(line: 1, "\"interactions\" must be a list, not a number"))
        #expect(cassetteError("version: 1\n") == ImportError(line: 1, "not a VCR cassette (no \"interactions\")"))
        #expect(cassetteError(Self.good + "\n- 7\n") == ImportError(line: 11, "interaction 2: expected a mapping, found a number"))
    }

    @Test func malformedJSONCassetteNamesTheLine() {
        #expect(cassetteError("{\n  \"interactions\": [\n    {\"request\": }\n  ]\n}") == ImportError(line: 3, "not valid JSON: unexpected character '}'"))
        #expect(cassetteError("{\"interactions\": [") == ImportError(line: 1, "not valid JSON: the document ends early"))
        #expect(cassetteError(String(repeating: "[", count: 600)) == ImportError(line: 1, "not valid JSON: nested deeper than 512 levels"))
    }

    @Test func malformedHARNamesTheEntry() {
        #expect(harError("{\"log\": {\"entries\": [{}]}}") == ImportError(line: 1, "entry 1: missing \"startedDateTime\""))
        #expect(harError("{\"log\": {}}") == ImportError(line: 1, "not a HAR file (\"log\" has no \"entries\" list)"))
        #expect(harError("[1]") == ImportError(line: 1, "not a HAR file (no \"log\" object)"))
        let entry = #"{"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":"https://x.test/"},"response":{"status":"200","content":{}}}"#
        #expect(harError("{\"log\": {\"entries\": [\n\(entry),\n\(entry)]}}") == ImportError(line: 2, "entry 1: \"status\" must be an HTTP status code"))
        let notBase64 = entry.replacingOccurrences(of: #""status":"200","content":{}"#, with: #""status":200,"content":{"text":"***","encoding":"base64"}"#)
        #expect(harError("{\"log\": {\"entries\": [\(notBase64)]}}") == ImportError(line: 1, "entry 1: \"text\" is not valid base64"))
    }

    @Test func theCorruptGzipBodyOfARealHARIsAnError() throws {
        #expect(throws: ImportError("entry 1: the gzip body is corrupt and cannot be decoded")) {
            try HARReader.read(ImportFixtures.bytes("generic-base64-gzip-corrupt-mitmproxy.har"))
        }
    }

    @Test func preOneZeroCassettesAskForMigration() throws {
        for name in ["vcrpy-migration-old.yaml", "vcrpy-migration-old.json"] {
            #expect(throws: ImportError(line: 1, "a cassette from vcrpy before 1.0 (a top-level list); migrate it first with `python -m vcr.migration`")) {
                try CassetteReader.read(ImportFixtures.bytes(name))
            }
        }
    }

    @Test func aDecompressionBombIsRefusedNotInflated() throws {
        // 300 MiB of zeros, gzipped twice: a 1 KB file whose body would not fit the limit.
        let yaml = ImportFixtures.cassette(binaryBody: try ImportFixtures.bytes("bomb-300MiB.gz.gz"), coding: "gzip, gzip")
        #expect(throws: ImportError("body of interaction 1 is larger than 256 MiB")) { try CassetteReader.read(Array(yaml.utf8)) }
    }

    @Test func aBrotliBombIsRefusedNotInflated() throws {
        // 300 MiB of zeros in 241 bytes of brotli (Fixtures/make-brotli.sh).
        let yaml = ImportFixtures.cassette(binaryBody: try ImportFixtures.bytes("bomb-300MiB.br"), coding: "br")
        #expect(throws: ImportError("body of interaction 1 is larger than 256 MiB")) { try CassetteReader.read(Array(yaml.utf8)) }
    }

    @Test func aCorruptBrotliBodyIsAClearError() throws {
        // A 6-byte brotli stream of the bytes 01 02 (not UTF-8, so it cannot pass for an already decoded body).
        let br: [UInt8] = [0x8b, 0x00, 0x80, 0x01, 0x02, 0x03]
        #expect(try CassetteReader.read(Array(ImportFixtures.cassette(binaryBody: br, coding: "br").utf8))[0].body == [1, 2])
        #expect(cassetteError(ImportFixtures.cassette(binaryBody: Array(br.dropLast()), coding: "br"))
            == ImportError("interaction 1: the br body is corrupt and cannot be decoded (the stream is cut short)"))
        #expect(cassetteError(ImportFixtures.cassette(binaryBody: br + [0x80], coding: "br"))
            == ImportError("interaction 1: the br body is corrupt and cannot be decoded (bytes after the end of the stream)"))
        #expect(cassetteError(ImportFixtures.cassette(binaryBody: [0xff] + br, coding: "br"))
            == ImportError("interaction 1: the br body is corrupt and cannot be decoded (libbrotli: PADDING_2)"))
    }
}
