import Foundation
import StreamtapeArchive
import StreamtapeCore
import StreamtapeRecord
import StreamtapeReplay
import StreamtapeUpstream

/// Composition point of `replay --record-misses`: the recorder's libcurl client and the archive's
/// writer, handed to the replay server through its Core seams (`UpstreamClient`, `CaptureSink`).
struct MissRecorder {
    /// What the replay server is given.
    let recording: ReplayMissRecording
    private let writer: ArchiveWriter
    private let client: CurlUpstreamClient

    /// Opens the archive for writing (before the port: a replay that cannot record misses does not start).
    init(routes: UpstreamRoutes, archive: ArchiveOptions, tags: [String]) throws {
        let started = try ArchiveAccess.startWriter(archive, onFailure: { error in
            Self.say("error: the archive cannot be written (\(error.description)); later misses are answered 503")
        })
        writer = started.writer
        Self.say(started.announcement)
        client = CurlUpstreamClient()
        recording = ReplayMissRecording(
            resolve: { routes.resolve($0) }, client: client, sink: writer, redaction: try Redaction(), tags: tags,
            onRecorded: { r in
                let id = r.id.map { "exchange \($0)" } ?? "not recorded"
                let status = r.status.map(String.init) ?? "no response"
                let served = r.replayable ? ", now replayable" : ""
                Self.say("recorded miss: \(r.method) \(r.target) -> \(status) \(r.state.rawValue) (\(id)\(served))\(r.error.map { ": \($0)" } ?? "")")
            })
    }

    /// Stops the client and flushes and closes the archive.
    func close() {
        client.shutdown()
        writer.close()
    }

    private static func say(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
