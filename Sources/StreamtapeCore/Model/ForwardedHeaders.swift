import Foundation

/// Which headers cross a proxy (RFC 9110 §7.6.1): hop-by-hop headers stop here. Shared by the
/// recorder and replay's record-on-miss, which forward the same way.
public enum ForwardedHeaders {
    /// Connection-specific headers never forwarded in either direction (lowercase).
    public static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// The client's headers as sent upstream: no hop-by-hop headers (nor those `Connection` names), no
    /// Host (libcurl writes the upstream's), no Content-Length (libcurl frames the body), and
    /// `Accept-Encoding: identity` so the archive holds the stream itself, not a compressed one.
    public static func request(_ headers: [Header]) -> [Header] {
        let named = connectionNamed(headers)
        var out = headers.filter { h in
            let n = h.name.lowercased()
            return !hopByHop.contains(n) && !named.contains(n) && n != "host" && n != "content-length" && n != "accept-encoding"
        }
        out.append(Header("Accept-Encoding", "identity"))
        return out
    }

    /// The upstream's headers as sent to the client: no hop-by-hop headers (NIO frames the body).
    public static func response(_ headers: [Header]) -> [Header] {
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
