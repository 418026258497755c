import Foundation

/// Where an archive lives, as given to `--archive`: a SQLite file path, or a libpq connection URI
/// (`postgres://` or `postgresql://`) naming a PostgreSQL database.
public enum ArchiveLocation: Hashable, Sendable {
    /// A SQLite file.
    case file(String)
    /// A PostgreSQL database.
    case postgres(uri: String)

    /// Reads an `--archive` value: a libpq URI by its scheme, anything else a file path.
    public init(_ text: String) {
        let lower = text.lowercased()
        self = lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") ? .postgres(uri: text) : .file(text)
    }

    /// The string to connect with or open (the password included).
    public var connectionString: String {
        switch self { case .file(let path): path; case .postgres(let uri): uri }
    }

    /// Whether this is a PostgreSQL database.
    public var isPostgres: Bool { if case .postgres = self { true } else { false } }

    /// The location to print: a URI's password (in the user part or a `password=` parameter)
    /// replaced by `***`. Everything the archive prints or logs names it this way.
    public var displayName: String {
        guard case .postgres(let uri) = self else { return connectionString }
        var text = uri
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"),
               let colon = rest[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        return Self.maskingPasswordParameter(text)
    }

    /// `password=…` in the query replaced by `password=***`.
    private static func maskingPasswordParameter(_ uri: String) -> String {
        guard let query = uri.firstIndex(of: "?") else { return uri }
        let params = uri[uri.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { p -> String in
            p.lowercased().hasPrefix("password=") ? "password=***" : String(p)
        }
        return uri[...query] + params.joined(separator: "&")
    }
}
