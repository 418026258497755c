import Foundation
import StreamtapeCore

/// Builds an archive exchange from what a foreign file recorded: the URL split into upstream and
/// target, bodies decoded, credentials redacted exactly as the recorder redacts them.
enum ForeignExchange {
    /// The request as a foreign file holds it.
    struct Request {
        /// HTTP method.
        var method: String
        /// The full URL (`https://host/path?query`).
        var url: String
        /// Headers in order.
        var headers: [Header]
        /// Body bytes.
        var body: [UInt8]
    }

    /// The recorder's default policy: credentials fingerprinted, identifying headers dropped.
    static let redaction = try! Redaction()

    /// `https://api.openai.com/v1/chat?x=1` → (`https://api.openai.com`, `/v1/chat?x=1`); a URL without
    /// a scheme is all target.
    static func split(_ url: String) -> (upstream: String, target: String) {
        guard let scheme = url.range(of: "://") else { return ("", url) }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return (url, "/") }
        let target = rest[slash...]
        return (String(url[..<slash]), target.hasPrefix("?") ? "/" + target : String(target))
    }

    /// A complete exchange: the whole body as one chunk at `headNs` (nothing finer was recorded).
    static func make(_ request: Request, status: Int, headers: [Header], body: [UInt8], startedMs: Int64,
                     headNs: UInt64 = 0, endNs: UInt64 = 0, where place: String) throws(ImportError) -> Exchange {
        let decoded = try ContentDecoding.decode(body, headers: headers, where: place)
        let (upstream, target) = split(request.url)
        let req = redaction.request(CapturedRequest(method: request.method, target: target, headers: request.headers, body: request.body))
        let response = redaction.response(CapturedResponse(status: status, headers: decoded.headers, offsetNs: headNs))
        return Exchange(startedMs: startedMs, upstream: upstream, request: req, response: response,
                        chunks: decoded.body.isEmpty ? [] : [Chunk(seq: 0, offsetNs: headNs, bytes: decoded.body)],
                        end: ExchangeEnd(offsetNs: max(endNs, headNs), state: .complete), timingUnknown: true)
    }

    /// The time in an HTTP `Date` header (RFC 9110 IMF-fixdate), in ms since 1970.
    static func httpDateMs(_ headers: [Header]) -> Int64? {
        guard let text = headers.value(for: "date") else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
