import Foundation
import StreamtapeArchive
import StreamtapeCore

/// Archive mode: `--make-archive PATH` writes the synthetic exchange into a new archive (run once,
/// in its own process, so its memory does not count); `--archive PATH` benchmarks the inspector
/// over the archive's paging `CaptureSource`.
enum ArchiveMode {
    static func make(path: String, source: GeneratedSource) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive.open(path: path)
        let events = source.events + 1
        let writer = try ArchiveWriter(archive: archive, derive: { _ in DerivedInfo(dialect: "openai-chat", events: events, errors: 1) })
        defer { writer.close() }
        var exchange = try source.head()
        exchange.chunks = try source.chunks(0..<(source.events + 1))
        let id = try writer.insert(exchange)
        try writer.flush()
        print("wrote exchange \(id) with \(exchange.chunks.count) chunks to \(path)")
    }

    static func open(path: String) throws -> any CaptureSource {
        let archive = try Archive.open(path: path, readOnly: true)
        return try archive.source(id: 1)
    }
}
