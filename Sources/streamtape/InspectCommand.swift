import ArgumentParser

/// `streamtape inspect` (placeholder until its issue lands).
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Not built yet.")
    func run() async throws { throw CLIError.runtime("streamtape inspect is not built yet") }
}
