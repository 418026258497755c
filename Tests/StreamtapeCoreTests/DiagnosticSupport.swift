import Foundation
@testable import StreamtapeCore

/// Where and how a finding applies, without its sentence: what most diagnostics tests compare.
struct FindingSpot: Hashable, CustomStringConvertible {
    var code: String
    var severity: Severity
    var offset: Int
    var event: Int?
    init(_ code: String, _ severity: Severity, _ offset: Int, _ event: Int?) {
        self.code = code; self.severity = severity; self.offset = offset; self.event = event
    }
    init(_ f: Finding) { self.init(f.code, f.severity, f.offset, f.event) }
    var description: String { "\(code)/\(severity.rawValue)@\(offset)#\(event.map(String.init) ?? "-")" }
}

/// Small exchanges for the diagnostics tests.
enum DiagExchange {
    /// One OpenAI chat chunk event carrying `content` (and a finish reason).
    static func chat(_ content: String, finish: String? = nil) -> String {
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(content)\"},\"finish_reason\":\(reason)}]}\n\n"
    }

    static let done = "data: [DONE]\n\n"

    /// An exchange whose body arrives as `parts`, each at its time in seconds.
    static func exchange(_ parts: [(Double, [UInt8])], target: String = "/v1/chat/completions", status: Int? = 200,
                         contentType: String? = "text/event-stream", requestBody: String = #"{"stream":true}"#,
                         headAt: Double = 0.1, end: EndState = .complete, endError: String? = nil) -> Exchange {
        let ns = { (s: Double) in UInt64((s * 1_000_000_000).rounded()) }
        let response = status.map { status in
            CapturedResponse(status: status, headers: contentType.map { [Header("Content-Type", $0)] } ?? [], offsetNs: ns(headAt))
        }
        let chunks = parts.enumerated().map { Chunk(seq: $0.offset, offsetNs: ns($0.element.0), bytes: $0.element.1) }
        let last = parts.last.map { $0.0 } ?? headAt
        return Exchange(startedMs: 0, upstream: "https://example.invalid",
                        request: CapturedRequest(method: "POST", target: target, body: Array(requestBody.utf8)),
                        response: response, chunks: chunks, end: ExchangeEnd(offsetNs: ns(last + 0.01), state: end, error: endError))
    }

    /// An exchange whose whole body is `text`, in one chunk at 0.2 s.
    static func exchange(_ text: String, target: String = "/v1/chat/completions", status: Int? = 200,
                         contentType: String? = "text/event-stream", requestBody: String = #"{"stream":true}"#,
                         end: EndState = .complete, endError: String? = nil) -> Exchange {
        exchange([(0.2, Array(text.utf8))], target: target, status: status, contentType: contentType,
                 requestBody: requestBody, end: end, endError: endError)
    }

    /// A raw imported body: no request, no response, no end.
    static func raw(_ bytes: [UInt8]) -> Exchange {
        Exchange(startedMs: 0, request: CapturedRequest(method: "", target: ""), chunks: [Chunk(seq: 0, offsetNs: 0, bytes: bytes)])
    }

    static func raw(_ text: String) -> Exchange { raw(Array(text.utf8)) }

    /// The findings of an exchange as spots.
    static func spots(_ exchange: Exchange, dialect: Dialect? = nil, options: DiagnosticOptions = .init()) -> [FindingSpot] {
        Analysis.analyze(exchange, dialect: dialect, options: options).findings.map(FindingSpot.init)
    }
}
