import StreamtapeCore

/// A provider whose public API base URL streamtape knows (`--provider`).
public enum ProviderPreset: String, CaseIterable, Sendable {
    case openai, anthropic, gemini, openrouter, groq, mistral, ollama

    /// The provider's API base URL.
    public var baseURL: String {
        switch self {
        case .openai: return "https://api.openai.com"
        case .anthropic: return "https://api.anthropic.com"
        case .gemini: return "https://generativelanguage.googleapis.com"
        case .openrouter: return "https://openrouter.ai/api"
        case .groq: return "https://api.groq.com/openai"
        case .mistral: return "https://api.mistral.ai"
        case .ollama: return "http://127.0.0.1:11434"
        }
    }
}

/// Where each request goes: the longest matching path prefix wins; its prefix is cut from the target.
public struct UpstreamRoutes: Sendable, Hashable {
    /// One route: requests whose path starts with `prefix` go to `baseURL`.
    public struct Route: Sendable, Hashable {
        /// A path prefix such as `/openai`, or empty for the default route.
        public var prefix: String
        /// The upstream base URL, without a trailing slash.
        public var baseURL: String
    }

    /// The routes, longest prefix first.
    public private(set) var routes: [Route] = []

    /// A parse failure, worded for the command line.
    public struct Invalid: Error, Hashable, CustomStringConvertible {
        /// One line for the user.
        public var description: String
    }

    /// Creates an empty table.
    public init() {}

    /// Parses `URL`, `PREFIX=URL` or `PREFIX=PRESET` and adds the route.
    public mutating func add(_ spec: String) throws {
        var prefix = ""
        var target = spec
        if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains(":") {
            prefix = String(spec[..<eq])
            target = String(spec[spec.index(after: eq)...])
        }
        if let preset = ProviderPreset(rawValue: target) { target = preset.baseURL }
        try add(prefix: prefix, baseURL: target)
    }

    /// Adds a route after checking the URL is absolute http(s) and the prefix is a path.
    public mutating func add(prefix rawPrefix: String, baseURL rawURL: String) throws {
        let lower = rawURL.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), rawURL.count > (lower.hasPrefix("https") ? 8 : 7) else {
            throw Invalid(description: "upstream \"\(rawURL)\" is not an http:// or https:// URL (or a preset: \(ProviderPreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard !rawURL.contains("?"), !rawURL.contains("#") else {
            throw Invalid(description: "upstream \"\(rawURL)\" must not have a query or fragment")
        }
        var prefix = rawPrefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if !prefix.isEmpty, !prefix.hasPrefix("/") { prefix = "/" + prefix }
        var url = rawURL
        while url.hasSuffix("/") { url.removeLast() }
        guard !routes.contains(where: { $0.prefix == prefix }) else {
            throw Invalid(description: prefix.isEmpty ? "more than one default upstream given" : "prefix \(prefix) given twice")
        }
        routes.append(Route(prefix: prefix, baseURL: url))
        routes.sort { $0.prefix.count > $1.prefix.count }
    }

    /// Whether no route is defined.
    public var isEmpty: Bool { routes.isEmpty }

    /// The upstream base URL and the URL to fetch for a request target, or nil when no route matches.
    public func resolve(_ target: String) -> (baseURL: String, url: String)? {
        let path = target.prefix { $0 != "?" }
        for route in routes {
            if route.prefix.isEmpty { return (route.baseURL, route.baseURL + (target.hasPrefix("/") ? target : "/" + target)) }
            if path == route.prefix || path.hasPrefix(route.prefix + "/") {
                var rest = String(target.dropFirst(route.prefix.count))
                if !rest.hasPrefix("/") { rest = "/" + rest }
                return (route.baseURL, route.baseURL + rest)
            }
        }
        return nil
    }
}
