import Foundation
import StreamtapeCore

/// Which headers a forwarded miss carries across (RFC 9110 §7.6.1): the same rules as the recorder's
/// proxy (`StreamtapeRecord`'s `ForwardedHeaders`), kept here because replay does not depend on record.
enum MissHeaders {
    /// Connection-specific headers never forwarded in either direction (lowercase).
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// The client's headers as sent upstream: credentials included, no hop-by-hop headers, no Host or
    /// Content-Length (the client library writes them), and `Accept-Encoding: identity` so the archive
    /// holds the stream itself, not a compressed one.
    static func request(_ headers: [Header]) -> [Header] {
        let named = connectionNamed(headers)
        var out = headers.filter { h in
            let n = h.name.lowercased()
            return !hopByHop.contains(n) && !named.contains(n) && n != "host" && n != "content-length" && n != "accept-encoding"
        }
        out.append(Header("Accept-Encoding", "identity"))
        return out
    }

    /// The upstream's headers as sent to the client: no hop-by-hop headers (NIO frames the body).
    static func response(_ headers: [Header]) -> [Header] {
        let named = connectionNamed(headers)
        return headers.filter { h in
            let n = h.name.lowercased()
            return !hopByHop.contains(n) && !named.contains(n)
        }
    }

    private static func connectionNamed(_ headers: [Header]) -> Set<String> {
        Set(headers.filter { $0.name.lowercased() == "connection" }
            .flatMap { $0.value.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }
}
