import Foundation
import Testing

/// A tape of one recorded exchange, with its request body and response as given.
private func tape(method: String, target: String, requestBody: String, contentType: String, body: String) -> String {
    let quote = { (s: String) in String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self) }
    return #"{"streamtape":1,"started":"2026-12-06T10:00:00.000Z","upstream":"https://api.openai.com","request":{"method":"\#(method)","target":"\#(target)","headers":[],"body":\#(quote(requestBody))},"response":{"status":200,"t":0.08,"headers":[["content-type","\#(contentType)"]]}}"#
        + "\n" + #"{"t":0.081,"text":\#(quote(body))}"# + "\n" + #"{"t":0.082,"end":"complete"}"# + "\n"
}

/// `check` on what is not a stream, and one finding per cause, through the real binary.
@Suite struct CheckNonStreamTests {
    @Test func aRecordedModelListAndANonStreamingCompletionPassCheck() throws {
        let dir = CLI.tempDir()
        let models = dir.appendingPathComponent("models.tape.jsonl")
        try tape(method: "GET", target: "/v1/models", requestBody: "", contentType: "application/json",
                 body: #"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","owned_by":"system"}]}"#).write(to: models, atomically: true, encoding: .utf8)
        let completion = dir.appendingPathComponent("completion.tape.jsonl")
        try tape(method: "POST", target: "/v1/chat/completions", requestBody: #"{"model":"gpt-4o-mini","stream":false}"#, contentType: "application/json",
                 body: #"{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}"#)
            .write(to: completion, atomically: true, encoding: .utf8)
        // Both were once read as streams: unterminated-event, then missing-terminator and unknown-field (exit 1).
        // The model list's one JSON line still shows as one event; no stream rule judges it.
        let r = try CLI.run(["check", models.path, completion.path])
        #expect(r.status == 0)
        #expect(r.lines == ["\(models.path): ok (generic, 1 events)", "\(completion.path): ok (openai-chat, 0 events)"])
    }

    @Test func theUnexpectedContentTypeSampleReportsTheCauseOnly() throws {
        let r = try CLI.run(["check", "--json", "captures/openai-unexpected-content-type.tape.jsonl"])
        let codes = r.lines.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["code"] as? String }
        #expect(codes == ["unexpected-content-type"])
        #expect(r.status == 0)
    }

    @Test func theTruncatedSampleReportsTheCauseOnly() throws {
        let r = try CLI.run(["check", "--json", "captures/anthropic-truncated.tape.jsonl"])
        let codes = r.lines.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["code"] as? String }
        #expect(codes == ["truncated"])
        #expect(r.status == 1)
    }

    @Test func aTapeStartedInYearZeroIsRefusedWithItsLine() throws {
        let path = CLI.root.appendingPathComponent("Tests/StreamtapeCoreTests/Fixtures/regressions/tape-started-year-0000.tape.jsonl").path
        for command in [["check"], ["show"]] {
            let r = try CLI.run(command + [path])
            #expect(r.status == 3)
            #expect(r.stderr == "streamtape: \(path):1: \"started\" must be an ISO 8601 timestamp with a year from 0001 to 9999\n")
        }
    }

    @Test func anAnthropicBlockIndexOfIntMaxIsAFindingNotACrash() throws {
        let path = CLI.root.appendingPathComponent("Tests/StreamtapeCoreTests/Fixtures/regressions/anthropic-block-index-int-max.sse").path
        let r = try CLI.run(["check", path])
        #expect(r.status == 1)
        #expect(r.lines.map { $0.components(separatedBy: ":").dropFirst().first ?? "" }
            == [" error event-order at byte 66, event 1", " error missing-terminator at byte 201"])
        #expect(try CLI.run(["show", "--json", path]).status == 0)
    }
}
