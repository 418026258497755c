import Foundation
import Testing

/// The help text of every command is pinned: a change to an option or an abstract shows up here.
/// After a deliberate change, regenerate with:
/// `for c in "" record replay inspect list show check stats diff import export copy prune; do .build/debug/streamtape $c --help > Tests/StreamtapeCLITests/Golden/help-${c:-streamtape}.txt; done`
@Suite struct HelpGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: ["streamtape", "record", "replay", "inspect", "list", "show", "check", "stats", "diff", "import", "export", "copy", "prune"])
    func helpMatchesTheGoldenFile(command: String) throws {
        let args = command == "streamtape" ? ["--help"] : [command, "--help"]
        let r = try CLI.run(args, env: ["COLUMNS": ""])
        #expect(r.status == 0)
        let want = try String(contentsOf: Self.golden.appendingPathComponent("help-\(command).txt"), encoding: .utf8)
        #expect(r.stdout == want)
    }
}
