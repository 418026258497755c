import Foundation
import StreamtapeArchive
import StreamtapeCore
import StreamtapeForwarding
import StreamtapeReplay
import StreamtapeUpstream

/// Composition point of `replay --record-misses`: the recorder's libcurl client and the archive's
/// writer (or, with `--into`, a folder of tapes), handed to the replay server through its Core seams
/// (`UpstreamClient`, `CaptureSink`).
struct MissRecorder {
    /// Where recorded misses are written.
    enum Destination {
        /// An archive file.
        case archive(ArchiveOptions)
        /// A folder of `NNN.tape.jsonl` tapes.
        case folder(String)
    }

    /// "archive: PATH", said once the server listens (a replay that cannot start names no archive).
    private(set) var announcement: String?
    /// What the replay server is given.
    let recording: ReplayMissRecording
    private let closeSink: () -> Void
    private let client: CurlUpstreamClient
    private let path: String
    /// Whether opening made the archive file (so `discard()` may remove it); never for a folder of tapes.
    private let created: Bool

    /// Opens the archive (or folder) for writing (before the port: a replay that cannot record misses does not start).
    init(routes: UpstreamRoutes, destination: Destination, tags: [String], learns: Bool, recorder: String = RecorderName.default) throws {
        let sink: any CaptureSink
        switch destination {
        case .archive(let options):
            path = options.path
            created = !options.location.isPostgres && !FileManager.default.fileExists(atPath: options.path)
            let started = try ArchiveAccess.startWriter(options, recorder: recorder, onFailure: { error in
                Self.say("error: the archive cannot be written (\(error.description)); later misses are answered 503")
            })
            let writer = started.writer
            announcement = started.announcement
            sink = writer
            closeSink = { writer.close() }
        case .folder(let path):
            self.path = path
            created = false
            let folder = try TapeFolderSink(folder: path)
            sink = folder
            closeSink = { folder.close() }
        }
        let name: @Sendable (Int64) -> String
        if case .folder = destination { name = { String(format: "%03lld.tape.jsonl", $0) } } else { name = { "exchange \($0)" } }
        client = CurlUpstreamClient()
        recording = ReplayMissRecording(
            resolve: { routes.resolve($0) }, client: client, sink: sink, redaction: try Redaction(), tags: tags, learns: learns,
            onRecorded: { r in
                let id = r.id.map(name) ?? "not recorded"
                let status = r.status.map(String.init) ?? "no response"
                let served = r.replayable ? ", now replayable" : ""
                Self.say("recorded miss: \(r.method) \(r.target) -> \(status) \(r.state.rawValue) (\(id)\(served))\(r.error.map { ": \($0)" } ?? "")")
            })
    }

    /// Says which archive recorded misses go to.
    func announce() { if let announcement { Self.say(announcement) } }

    /// Stops the client and flushes and closes the archive (or waits for the tapes being written).
    func close() {
        client.shutdown()
        closeSink()
    }

    /// Closes, and removes the archive if opening created it: a replay that never started leaves nothing behind.
    func discard() {
        close()
        guard created else { return }
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func say(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
