@testable import StreamtapeForwarding
import Testing

@Suite struct UpstreamRoutesTests {
    @Test func aDefaultRouteAppendsTheTargetToTheBaseURL() throws {
        var routes = UpstreamRoutes()
        try routes.add("https://openrouter.ai/api/")
        #expect(routes.resolve("/v1/chat/completions")! == ("https://openrouter.ai/api", "https://openrouter.ai/api/v1/chat/completions"))
    }

    @Test func prefixesRouteByLongestMatchAndAreCutFromTheTarget() throws {
        var routes = UpstreamRoutes()
        try routes.add("/openai=openai")
        try routes.add("anthropic=https://api.anthropic.com")
        try routes.add("http://127.0.0.1:9/")
        try routes.add("/openai/special=http://127.0.0.1:8")
        #expect(routes.resolve("/openai/v1/chat/completions")!.url == "https://api.openai.com/v1/chat/completions")
        #expect(routes.resolve("/anthropic/v1/messages?beta=true")!.url == "https://api.anthropic.com/v1/messages?beta=true")
        #expect(routes.resolve("/openai/special/x")!.url == "http://127.0.0.1:8/x")
        #expect(routes.resolve("/openaix/v1")!.url == "http://127.0.0.1:9/openaix/v1")
        #expect(routes.resolve("/other")!.baseURL == "http://127.0.0.1:9")
    }

    @Test func withoutADefaultRouteUnknownPathsHaveNoUpstream() throws {
        var routes = UpstreamRoutes()
        try routes.add("/gemini=gemini")
        #expect(routes.resolve("/v1/models") == nil)
        #expect(routes.resolve("/gemini/v1beta/models")!.url == "https://generativelanguage.googleapis.com/v1beta/models")
    }

    @Test func presetsFillTheDocumentedURLs() {
        #expect(ProviderPreset.allCases.map(\.baseURL) == [
            "https://api.openai.com", "https://api.anthropic.com", "https://generativelanguage.googleapis.com",
            "https://openrouter.ai/api", "https://api.groq.com/openai", "https://api.mistral.ai", "http://127.0.0.1:11434",
        ])
    }

    @Test func badUpstreamsAreRejectedWithAReason() {
        var routes = UpstreamRoutes()
        #expect(throws: UpstreamRoutes.Invalid.self) { try routes.add("ftp://x") }
        #expect(throws: UpstreamRoutes.Invalid.self) { try routes.add("/a=notaurl") }
        #expect(throws: UpstreamRoutes.Invalid.self) { try routes.add("https://x/?q=1") }
        #expect(throws: Never.self) { try routes.add("https://a") }
        #expect(throws: UpstreamRoutes.Invalid(description: "more than one default upstream given")) { try routes.add("https://b") }
    }
}
