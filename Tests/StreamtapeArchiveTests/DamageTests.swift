import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeArchive

@Suite struct DamageTests {
    /// Reads everything a viewer would read; every failure must be a one-line `ArchiveError`.
    static func readAll(_ path: String) -> Error? {
        do {
            let archive = try Archive.open(path: path, readOnly: true)
            for row in try archive.summaries(limit: 1_000) {
                let id = row.summary.id
                _ = try archive.exchange(id: id)
                let source = try archive.source(id: id)
                _ = try source.chunks(0..<(try source.chunkCount()))
                _ = try archive.chunks(id: id, byteRange: 0..<1_000_000)
                _ = try archive.exchangeIDs(tag: "fixture")
            }
            return nil
        } catch {
            return error
        }
    }

    @Test func impossibleSequenceNumbersAreCorruptNotATrap() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        for (k, (update, seq)) in [("seq = 9223372036854775807 WHERE seq = 3", Int64.max), ("seq = seq - 10", -7)].enumerated() {
            let path = tmp.path("seq-\(k).sqlite")
            do {
                let writer = try ArchiveWriter(archive: try Archive.open(path: path))
                _ = try writer.insert(sampleExchange())
                writer.close()
                let db = try Connection(path: path, mode: .readWrite)
                try db.execute("UPDATE chunks SET \(update)")
            }
            let archive = try Archive.open(path: path, readOnly: true)
            let expected = ArchiveError.corrupt(path: path, detail: "exchange 1 has a chunk with an impossible sequence number \(seq)")
            #expect(throws: expected) { try archive.chunkCount(id: 1) }
            #expect(throws: expected) { try archive.chunks(id: 1, byteRange: 0..<10) }
        }
    }

    @Test func flippedBytesGiveArchiveErrorsNeverACrash() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let original = [UInt8](try Data(contentsOf: FixtureV1.folder.appendingPathComponent("archive-v\(Archive.formatVersion).sqlite")))
        var kinds: [String: Int] = [:]
        for round in 0..<300 {
            var bytes = original
            let noise = pseudoRandomBytes(16, seed: UInt64(round))
            for k in 0..<8 {
                let at = (Int(noise[2 * k]) << 8 | Int(noise[2 * k + 1])) % bytes.count
                bytes[at] ^= noise[(k + 5) % 16] | 1
            }
            let path = tmp.path("damaged-\(round).sqlite")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            if let error = Self.readAll(path) {
                let e = try #require(error as? ArchiveError, "round \(round): \(error)")
                #expect(!"\(e)".contains("\n"))
                kinds[Mirror(reflecting: e).children.first?.label ?? "\(e)", default: 0] += 1
            } else {
                kinds["read", default: 0] += 1
            }
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + "-shm")
            try? FileManager.default.removeItem(atPath: path + "-wal")
        }
        print("damage outcomes:", kinds.sorted { $0.key < $1.key })
        #expect(kinds.values.reduce(0, +) == 300)
        // The seed is fixed: both outcomes occur (flips in unused space read fine).
        #expect(kinds["read", default: 0] > 0)
        #expect(kinds["corrupt", default: 0] > 0)
    }
}
