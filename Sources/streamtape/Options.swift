import ArgumentParser
import Foundation
import StreamtapeArchive

/// `--archive PATH|URI`, shared by every command that reads or writes the archive.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite archive file, or a PostgreSQL URI (postgresql://…) (default: $STREAMTAPE_ARCHIVE, else captures/streamtape.sqlite).")
    var archive: String?

    /// The archive path in force: the flag, else `STREAMTAPE_ARCHIVE`, else the default under the working directory.
    var path: String {
        if let archive { return archive }
        if let env = ProcessInfo.processInfo.environment["STREAMTAPE_ARCHIVE"], !env.isEmpty { return env }
        return Self.defaultPath
    }

    /// The archive used when neither `--archive` nor `STREAMTAPE_ARCHIVE` names one.
    static let defaultPath = "captures/streamtape.sqlite"

    /// Whether `path` is the default, whose `captures/` folder a writing command may create (a
    /// folder named by the user must already exist: a typo does not silently make one).
    var isDefault: Bool { path == Self.defaultPath }

    /// Where the archive in force lives: a file, or a PostgreSQL database.
    var location: ArchiveLocation { ArchiveLocation(path) }

    /// The archive as printed: a URI's password replaced by `***`.
    var displayName: String { location.displayName }
}

/// `--recorder-name`, for the commands that record (record, replay --record-misses).
struct RecorderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The name stored with every exchange this process records (default: HOST:PID).", valueName: "name"))
    var recorderName: String?

    /// The name in force.
    var name: String { recorderName ?? RecorderName.default }
}

/// An error that ends a command with one line on stderr and a meaningful exit code.
struct CLIError: Error, CustomStringConvertible {
    /// The one-line message.
    var description: String
    /// The process exit code.
    var code: Int32

    /// Unreadable input: a missing file, a corrupt archive, a bad tape (exit 3).
    static func unreadable(_ message: String) -> CLIError { CLIError(description: message, code: 3) }
    /// A failure while running: a port in use, an archive that cannot be written (exit 4).
    static func runtime(_ message: String) -> CLIError { CLIError(description: message, code: 4) }
}

/// The default address and help of one server command's `--listen`.
protocol ListenDefault {
    /// The address listened on without `--listen`.
    static var address: String { get }
    /// The option's help sentence.
    static var help: String { get }
}

/// `--listen HOST:PORT`, shared by `record` and `replay` (each with its own default), checked in `validate()`.
struct ListenOptions<Default: ListenDefault>: ParsableArguments {
    // `.unconditional`: `--listen -5` is a bad value to name, not a missing one.
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(Default.help, valueName: "host:port"))
    var listen: String = Default.address

    func validate() throws { _ = try address() }

    /// The host and port to listen on.
    func address() throws -> (host: String, port: Int) {
        guard let address = parseListenAddress(listen) else {
            throw ValidationError("--listen \(listen): \(listenAddressProblem(listen, example: Default.address))")
        }
        return address
    }
}

/// `HOST:PORT` (IPv6 hosts in brackets, an empty host meaning 127.0.0.1) split into its parts;
/// nil when it is not of that form.
func parseListenAddress(_ text: String) -> (host: String, port: Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
        return nil
    }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    return (host.isEmpty ? "127.0.0.1" : host, port)
}

/// What is wrong with a listen address `parseListenAddress` refused, for the error line.
func listenAddressProblem(_ text: String, example: String) -> String {
    guard let colon = text.lastIndex(of: ":") else { return "expected HOST:PORT, e.g. \(example)" }
    let port = text[text.index(after: colon)...]
    if Int(port) != nil { return "port \(port) is out of range: a port is 0 to 65535" }
    return "\"\(port)\" is not a port number: expected HOST:PORT, e.g. \(example)"
}

/// Whether a listen host is this machine only (binding anywhere else prints a warning).
func isLoopback(_ host: String) -> Bool { ["127.0.0.1", "localhost", "::1"].contains(host) }
