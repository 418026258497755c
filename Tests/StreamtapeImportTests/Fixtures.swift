import Foundation
import StreamtapeCore
@testable import StreamtapeImport

/// The real cassettes and HAR files in `Fixtures/` (provenance in `Fixtures/PROVENANCE.md`), each
/// with its response bodies as Python decodes them in `Fixtures/expected/` (`make-expected.py`).
enum ImportFixtures {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    /// Every fixture that imports (the pre-1.0 cassettes and the corrupt gzip HAR are negative cases).
    static let importable = [
        "anthropic-messages-stream-gzip-binary.yaml", "anthropic-messages-stream-br-binary.yaml",
        "anthropic-messages-stream-br-base64.har", "anthropic-messages-stream-pydanticai.yaml",
        "anthropic-messages-stream.yaml", "anthropic-mixed-image-get-and-stream.yaml",
        "gemini-stream-jsonarray-gzip-binary.yaml", "gemini-stream-sse-crlf-multi-pydanticai.yaml",
        "gemini-stream-sse-crlf-pydanticai.yaml", "openai-chat-stream-pydanticai.yaml", "openai-chat-stream.yaml",
        "openai-mixed-json-and-stream-pydanticai.yaml", "openai-responses-nonstream-gzip-binary.yaml",
        "openai-responses-stream.yaml", "vcrpy-httpx-old-format-gzip.yaml", "vcrpy-migration-new.json",
        "vcrpy-migration-new.yaml", "vcrpy-requests-gzip-binary.yaml", "generic-chrome-export-base64.har",
        "generic-sse-empty-body-mitmproxy.har", "generic-sse-firefox-export-rama.har",
    ]

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))) }

    /// A one-interaction cassette whose response body is `body`, stored `!!binary` under `Content-Encoding: coding`.
    static func cassette(binaryBody body: [UInt8], coding: String) -> String {
        """
        interactions:
        - request: {body: null, headers: {}, method: GET, uri: 'https://x.test/'}
          response:
            body: {string: !!binary '\(Data(body).base64EncodedString())'}
            headers: {Content-Encoding: ['\(coding)']}
            status: {code: 200, message: OK}
        """
    }

    /// The exchanges of a fixture, read by the reader its extension names.
    static func read(_ name: String) throws -> [Exchange] {
        name.hasSuffix(".har") ? try HARReader.read(bytes(name)) : try CassetteReader.read(bytes(name))
    }

    /// The expected response bodies, in order.
    static func expectedBodies(_ name: String) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        while let d = try? Data(contentsOf: folder.appendingPathComponent("expected/\(name).\(out.count + 1).body")) { out.append([UInt8](d)) }
        return out
    }
}
