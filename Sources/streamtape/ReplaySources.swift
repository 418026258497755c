import Foundation
import StreamtapeCore

/// Loads what `streamtape replay` serves, in recorded order. The one place sources are read.
///
/// For now a SOURCE is a bare response body: `.sse` (served as `text/event-stream`) or `.ndjson`
/// (`application/x-ndjson`), as one chunk at t=0 with status 200 and no recorded request, so it
/// answers any request. Tapes, folders and archives (with `exchange` / `tag`) come with the tape codec.
func loadReplaySources(_ paths: [String], exchange: Int64?, tag: String?) throws -> [Exchange] {
    if exchange != nil || tag != nil {
        throw CLIError.unreadable("--exchange and --tag select from an archive, which replay cannot read yet")
    }
    return try paths.map { path in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.unreadable("\(path): no such file")
        }
        let contentType: String
        if path.hasSuffix(".sse") {
            contentType = "text/event-stream"
        } else if path.hasSuffix(".ndjson") {
            contentType = "application/x-ndjson"
        } else {
            throw CLIError.unreadable("\(path): not a replay source this build reads (expected a .sse or .ndjson body)")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.unreadable("\(path): cannot read the file")
        }
        return Exchange(startedMs: 0, request: CapturedRequest(method: "", target: ""),
                        response: CapturedResponse(status: 200, headers: [Header("content-type", contentType)]),
                        chunks: [Chunk(seq: 0, offsetNs: 0, bytes: [UInt8](data))],
                        end: ExchangeEnd(offsetNs: 0, state: .complete))
    }
}
