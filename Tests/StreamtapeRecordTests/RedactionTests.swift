@testable import StreamtapeCore
import Testing

@Suite struct RedactionTests {
    @Test func sha256MatchesFIPSVectors() {
        func hex(_ s: String) -> String { SHA256.hash(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func fingerprintIsThePrefixOfTheSecretsSHA256() {
        #expect(Redaction.fingerprint("abc") == "redacted:ba7816bf")
        #expect(Redaction.fingerprint("sk-one") != Redaction.fingerprint("sk-two"))
    }

    @Test func credentialHeadersAreFingerprintedInPlaceWithTheirSchemeKept() throws {
        let r = try Redaction()
        let out = r.headers([
            Header("Content-Type", "application/json"),
            Header("Authorization", "Bearer sk-live-123"),
            Header("x-api-key", "ant-456"),
            Header("API-Key", "azure-789"),
            Header("x-goog-api-key", "AIza-000"),
            Header("Cookie", "session=abc; other=def"),
            Header("Set-Cookie", "id=1; HttpOnly"),
            Header("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            Header("x-stainless-lang", "python"),
        ])
        #expect(out == [
            Header("Content-Type", "application/json"),
            Header("Authorization", "Bearer " + Redaction.fingerprint("sk-live-123")),
            Header("x-api-key", Redaction.fingerprint("ant-456")),
            Header("API-Key", Redaction.fingerprint("azure-789")),
            Header("x-goog-api-key", Redaction.fingerprint("AIza-000")),
            Header("Cookie", Redaction.fingerprint("session=abc; other=def")),
            Header("Set-Cookie", Redaction.fingerprint("id=1; HttpOnly")),
            Header("Proxy-Authorization", "Basic " + Redaction.fingerprint("dXNlcjpwYXNz")),
            Header("x-stainless-lang", "python"),
        ])
    }

    @Test func redactingTwiceChangesNothing() throws {
        let policy = try Redaction()
        let once = policy.request(CapturedRequest(method: "GET", target: "/v1?key=sk-query",
                                                  headers: [Header("Authorization", "Bearer sk-secret"), Header("x-api-key", "sk-query")]))
        #expect(once.headers.map(\.value) == ["Bearer redacted:746b4ad1", "redacted:9cad2ce8"])
        #expect(policy.request(once) == once)
        // Only a whole fingerprint is kept: a longer or upper-case look-alike is a secret like any other.
        #expect(Redaction.fingerprint("redacted:746b4ad1x") != "redacted:746b4ad1x")
        #expect(Redaction.fingerprint("redacted:746B4AD1") != "redacted:746B4AD1")
    }

    @Test func authorizationWithoutASchemeIsFingerprintedWhole() throws {
        #expect(try Redaction().headers([Header("authorization", "sk-bare")]) == [Header("authorization", Redaction.fingerprint("sk-bare"))])
    }

    @Test func identifyingHeadersAreDroppedUnlessKept() throws {
        let headers = [Header("OpenAI-Organization", "org-1"), Header("accept", "*/*")]
        #expect(try Redaction().headers(headers) == [Header("accept", "*/*")])
        #expect(try Redaction(keep: ["openai-organization"]).headers(headers) == headers)
    }

    @Test func credentialsCannotBeKept() {
        #expect(throws: Redaction.CannotKeepCredential(name: "Authorization")) { try Redaction(keep: ["Authorization"]) }
        #expect(throws: Redaction.CannotKeepCredential(name: "set-cookie")) { try Redaction(keep: ["set-cookie"]) }
    }

    @Test func keyQueryParametersAreFingerprintedAndTheRestIsByteIdentical() throws {
        let r = try Redaction()
        #expect(r.target("/v1beta/models/g:streamGenerateContent?alt=sse&key=AIzaSECRET") ==
                "/v1beta/models/g:streamGenerateContent?alt=sse&" + "key=" + Redaction.fingerprint("AIzaSECRET"))
        #expect(r.target("/x?KEY=a&monkey=b&key=&x#frag") == "/x?KEY=\(Redaction.fingerprint("a"))&monkey=b&key=\(Redaction.fingerprint(""))&x#frag")
        #expect(r.target("/v1/chat/completions") == "/v1/chat/completions")
        #expect(r.target("/p?a=1&&b=%20") == "/p?a=1&&b=%20")
    }

    @Test func theSecretsBytesAppearNowhereInARedactedRequest() throws {
        let secret = "sk-proj-THISISSECRET"
        let request = CapturedRequest(method: "POST", target: "/v1/x?key=\(secret)",
                                      headers: [Header("Authorization", "Bearer \(secret)"), Header("x-api-key", secret), Header("cookie", "k=\(secret)")],
                                      body: Array("{}".utf8))
        let redacted = try Redaction().request(request)
        let everything = redacted.target + redacted.headers.map { $0.name + $0.value }.joined()
        #expect(!everything.contains(secret))
        #expect(!everything.contains("THISISSECRET"))
        #expect(redacted.body == request.body)
    }
}
