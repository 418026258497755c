import ArgumentParser
import Foundation
import StreamtapeCore

/// `streamtape import`: adds capture files to the archive.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import tapes (.tape.jsonl), raw bodies (.sse, .ndjson), VCR cassettes (.yaml, .json) and HAR (.har) into the archive; prints the new ids.")

    @Argument(help: "Files to import.")
    var files: [String]

    @Option(help: "Add this tag to every imported exchange (repeatable).")
    var tag: [String] = []

    @Option(help: "Read every file as this format instead of deciding from its name and content (tape, sse, ndjson, cassette, har).")
    var format: CaptureFiles.Kind?

    @OptionGroup var archive: ArchiveOptions

    func validate() throws { if files.isEmpty { throw ValidationError("give at least one file to import") } }

    func run() async throws {
        // Read every file first, so one bad file imports nothing rather than half.
        var exchanges: [Exchange] = []
        for f in files {
            let loaded = try CaptureFiles.loadAll(f, format: format)
            if loaded.isEmpty || loaded.allSatisfy({ $0.chunks.isEmpty && $0.request.method.isEmpty }) {
                throw CLIError.unreadable("\(f): empty, nothing to import")
            }
            for var e in loaded {
                e.id = nil
                for t in tag where !e.tags.contains(t) { e.tags.append(t) }
                exchanges.append(e)
            }
        }
        for id in try ArchiveAccess.insert(exchanges, archive: archive) { Out.line("\(id)") }
        Out.flush()
    }
}

extension CaptureFiles.Kind: ExpressibleByArgument {}
