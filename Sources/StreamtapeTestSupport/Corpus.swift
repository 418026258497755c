import Foundation

/// Real provider streams, the Core test fixtures (`Tests/StreamtapeCoreTests/Fixtures/real-streams/*.sse`).
public enum Corpus {
    /// The fixture folder.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/StreamtapeCoreTests/Fixtures/real-streams")

    /// The stream names, sorted.
    public static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".sse") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// One stream's bytes (empty when it is missing).
    public static func bytes(_ name: String) -> [UInt8] {
        [UInt8]((try? Data(contentsOf: folder.appendingPathComponent("\(name).sse"))) ?? Data())
    }
}
