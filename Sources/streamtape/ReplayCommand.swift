import ArgumentParser

/// `streamtape replay` (placeholder until its issue lands).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Not built yet.")
    func run() async throws { throw CLIError.runtime("streamtape replay is not built yet") }
}
