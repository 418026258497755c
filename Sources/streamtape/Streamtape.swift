import ArgumentParser
import Foundation

/// The `streamtape` command: record, replay and inspect LLM streaming traffic.
@main
struct Streamtape: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamtape",
        abstract: "Record, replay and inspect LLM streaming traffic (SSE and NDJSON).",
        discussion: """
        Exit codes: 0 success; 1 check found an error-level problem; 2 usage error; \
        3 unreadable input (missing file, corrupt archive, bad tape, unknown id); \
        4 runtime failure (port in use, archive not writable).
        """,
        version: streamtapeVersion,
        subcommands: [
            RecordCommand.self, ReplayCommand.self, InspectCommand.self,
            ListCommand.self, ShowCommand.self, CheckCommand.self, StatsCommand.self, DiffCommand.self,
            ImportCommand.self, ExportCommand.self, CopyCommand.self, PruneCommand.self,
        ]
    )

    /// Runs the command and maps every failure to one line on stderr and a documented exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch let error as CLIError {
            warn("streamtape: \(error.description)")
            Foundation.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if let exitCode = error as? ExitCode { Foundation.exit(exitCode.rawValue) }
            // One line, not ArgumentParser's message plus usage: ArgumentParser reports usage errors as
            // 64 (EX_USAGE); streamtape documents 2.
            let message = oneLine(self.message(for: error))
            let hint = code == .validationFailure ? " (--help shows the usage)" : ""
            warn("streamtape: \(message)\(hint)")
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// ArgumentParser's message on one line: its first line, with a bulleted list of accepted values
    /// (given for six or more) folded into it.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n")
        guard let first = lines.first else { return message }
        let values = lines.dropFirst().prefix { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
        return values.isEmpty ? String(first) : first + " " + values.joined(separator: ", ")
    }
}

/// The version printed by `--version` and written into HAR exports.
let streamtapeVersion = "0.1.0"
