import Foundation

/// Checks on a 2xx body that is a whole document, not a stream (a JSON completion, a model list):
/// invalid-json when it is labelled JSON and does not parse. No stream rule applies to it.
enum DocumentChecks {
    /// Appends this group's findings to `out`.
    static func run(_ input: DiagnosticInput, into out: inout [Finding]) {
        // A request that asked for a stream got `unexpected-content-type`, the cause; a cut body got `truncated`.
        guard let response = input.exchange.response, (200..<300).contains(response.status),
              !ResponseStream.requested(by: input.exchange.request), input.streamEnded, !input.body.isEmpty,
              let type = response.headers.value(for: "content-type"), isJSON(type) else { return }
        let text = String(decoding: input.body, as: UTF8.self)
        guard JSONValue.parse(text) == nil else { return }
        out.append(Finding(.invalidJSON, offset: 0, event: nil,
                           message: "the body is labelled \"\(type)\" but is not valid JSON (\"\(FindingText.snippet(text))\"), so a client fails to parse it"))
    }

    /// Whether a content type names JSON: `application/json` or a `+json` type.
    private static func isJSON(_ type: String) -> Bool {
        let media = type.lowercased().split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return media == "application/json" || media.hasSuffix("+json")
    }
}
