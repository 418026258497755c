import ArgumentParser

/// `streamtape record` (placeholder until its issue lands).
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Not built yet.")
    func run() async throws { throw CLIError.runtime("streamtape record is not built yet") }
}
