/// Keeps credentials out of everything the recorder hands to a `CaptureSink`.
///
/// Credential headers and `key=` query parameters are replaced by `redacted:<8 hex>`, the first 32 bits
/// of the SHA-256 of the secret: two different keys get different fingerprints, and the prefix of a
/// one-way hash does not reveal the key. An `Authorization` scheme (`Bearer`, `Basic`) is kept in
/// front. A short default list of identifying but non-secret headers is dropped unless kept by name.
public struct Redaction: Sendable, Hashable {
    /// Headers that carry credentials (lowercase): always fingerprinted, never kept.
    public static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie", "set-cookie",
    ]
    /// Identifying headers dropped from the record unless named with `--keep-header` (lowercase).
    public static let droppedHeaders: Set<String> = [
        "openai-organization", "openai-project", "anthropic-organization-id", "x-goog-user-project",
        "forwarded", "x-forwarded-for", "x-real-ip",
    ]
    /// Query parameter names whose values are credentials (lowercase).
    public static let credentialQueryNames: Set<String> = ["key"]

    /// Dropped headers the user chose to keep (lowercase).
    public let kept: Set<String>

    /// Thrown when asked to keep a credential header.
    public struct CannotKeepCredential: Error, Hashable, CustomStringConvertible {
        /// The header named.
        public var name: String
        /// One line for the user.
        public var description: String { "\(name) carries credentials and is always redacted; --keep-header cannot keep it" }
    }

    /// Creates a policy; `keep` names dropped headers to keep, and may not name a credential header.
    public init(keep: [String] = []) throws {
        for name in keep where Self.credentialHeaders.contains(name.lowercased()) { throw CannotKeepCredential(name: name) }
        kept = Set(keep.map { $0.lowercased() })
    }

    /// The headers with credentials fingerprinted and dropped headers removed, order kept.
    public func headers(_ headers: [Header]) -> [Header] {
        headers.compactMap { header in
            let lower = header.name.lowercased()
            if Self.credentialHeaders.contains(lower) {
                return Header(header.name, lower.hasSuffix("authorization") ? Self.redactAuthorization(header.value)
                                                                              : Self.fingerprint(header.value))
            }
            if Self.droppedHeaders.contains(lower), !kept.contains(lower) { return nil }
            return header
        }
    }

    /// The request target with `key=` query values fingerprinted; everything else byte-identical.
    public func target(_ target: String) -> String {
        guard let q = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: q)...]
        let fragmentStart = query.firstIndex(of: "#") ?? query.endIndex
        let params = query[..<fragmentStart].split(separator: "&", omittingEmptySubsequences: false).map { param -> String in
            guard let eq = param.firstIndex(of: "="),
                  Self.credentialQueryNames.contains(param[..<eq].lowercased()) else { return String(param) }
            return param[...eq] + Self.fingerprint(param[param.index(after: eq)...])
        }
        return target[...q] + params.joined(separator: "&") + query[fragmentStart...]
    }

    /// The request with headers and target redacted (the body is kept as sent).
    public func request(_ request: CapturedRequest) -> CapturedRequest {
        CapturedRequest(method: request.method, target: target(request.target), headers: headers(request.headers), body: request.body)
    }

    /// The response head with credential headers (`Set-Cookie`) fingerprinted.
    public func response(_ response: CapturedResponse) -> CapturedResponse {
        CapturedResponse(status: response.status, headers: headers(response.headers), offsetNs: response.offsetNs)
    }

    /// `redacted:` and the first 8 hex digits of the SHA-256 of the secret's UTF-8 bytes. A value that
    /// is already such a fingerprint is kept, so re-importing an exported exchange changes nothing.
    public static func fingerprint<S: StringProtocol>(_ secret: S) -> String {
        if isFingerprint(secret) { return String(secret) }
        let digest = SHA256.hash(Array(secret.utf8))
        let hex = "0123456789abcdef".map { $0 }
        return "redacted:" + String(digest.prefix(4).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] })
    }

    private static func isFingerprint<S: StringProtocol>(_ value: S) -> Bool {
        let hex = value.utf8.dropFirst(9)
        return value.hasPrefix("redacted:") && hex.count == 8 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `Bearer sk-…` becomes `Bearer redacted:…`: the scheme stays readable, the credential does not.
    static func redactAuthorization(_ value: String) -> String {
        guard let space = value.firstIndex(of: " "),
              value[..<space].allSatisfy({ $0.isLetter || $0 == "-" }), !value[..<space].isEmpty else {
            return fingerprint(value)
        }
        let credential = value[value.index(after: space)...].drop { $0 == " " }
        return value[..<space] + " " + fingerprint(credential)
    }
}

/// SHA-256 (FIPS 180-4), self-contained because Core has no dependencies and Linux has no CryptoKit.
enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest of `message`.
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var data = message
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        let bits = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let j = block + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
        }
        return h.flatMap { v in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> UInt32($0)) } }
    }

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
}
