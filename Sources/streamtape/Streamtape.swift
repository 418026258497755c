import ArgumentParser

/// The `streamtape` command: record, replay and inspect LLM streaming traffic.
@main
struct Streamtape: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamtape",
        abstract: "Record, replay and inspect LLM streaming traffic (SSE and NDJSON).",
        discussion: """
        Exit codes: 0 success; 1 a check found an error-level problem; 2 usage error; \
        3 unreadable input (missing file, corrupt archive, bad tape); 4 runtime failure (bind, archive write).
        """,
        subcommands: [
            RecordCommand.self, ReplayCommand.self, InspectCommand.self,
        ]
    )
}
