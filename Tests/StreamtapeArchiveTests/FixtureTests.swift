import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeArchive

/// The exact content of `Fixtures/archive-v1.sqlite`, `archive-v2.sqlite`, ... `archive-v5.sqlite`.
/// Frozen: the fixtures were written from this by format versions 1 to 5, and later versions must
/// read them back identically.
enum FixtureV1 {
    static let chat = Exchange(
        startedMs: 1_795_676_400_123, upstream: "https://api.openai.com",
        request: CapturedRequest(method: "POST", target: "/v1/chat/completions",
                                 headers: [Header("Content-Type", "application/json"),
                                           Header("Authorization", "[redacted sha256:9f86d0]")],
                                 body: Array(#"{"model":"gpt-4o-mini","stream":true}"#.utf8)),
        response: CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 182_004_511),
        chunks: [
            Chunk(seq: 0, offsetNs: 231_045_000, bytes: Array("data: {\"c\":\"caf".utf8) + [0xC3]),
            Chunk(seq: 1, offsetNs: 262_990_000, bytes: [0xA9] + Array("\"}\n\ndata: [DONE]\n\n".utf8)),
        ],
        end: ExchangeEnd(offsetNs: 1_503_000_000, state: .complete), tags: ["fixture", "openai"], note: "v1 fixture")

    static let reset = Exchange(
        startedMs: 1_795_676_401_000, upstream: "https://api.anthropic.com",
        request: CapturedRequest(method: "POST", target: "/v1/messages", headers: [Header("x-api-key", "[redacted sha256:2c26b4]")],
                                 body: [0x7B, 0x7D]),
        response: CapturedResponse(status: 200, headers: [Header("Content-Type", "text/event-stream; charset=utf-8")], offsetNs: 90_000_000),
        chunks: [Chunk(seq: 0, offsetNs: 95_000_000, bytes: Array("event: message_start\r\ndata: {}\r\n\r\n".utf8)),
                 Chunk(seq: 1, offsetNs: 28_095_000_000, bytes: Array("event: ping\r\nda".utf8))],
        end: ExchangeEnd(offsetNs: 28_100_000_000, state: .upstreamReset, error: "Recv failure: Connection reset by peer"),
        tags: ["fixture"])

    /// Left in `recording`, as a killed recorder leaves it.
    static let unfinished = Exchange(
        startedMs: 1_795_676_402_000, upstream: "http://127.0.0.1:11434",
        request: CapturedRequest(method: "POST", target: "/api/chat"),
        response: CapturedResponse(status: 200, headers: [Header("content-type", "application/x-ndjson")], offsetNs: 1_000),
        chunks: [Chunk(seq: 0, offsetNs: 2_000, bytes: Array("{\"done\":false}\n".utf8))])

    /// The committed fixtures: `archive-v1.sqlite`, `archive-v2.sqlite`, ... (one per format version).
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
}

@Suite struct FixtureTests {
    /// Copies a committed fixture to a temp folder (the committed file never changes).
    private func copy(_ name: String, into tmp: TempFolder) throws -> String {
        let path = tmp.path(name)
        try FileManager.default.copyItem(atPath: FixtureV1.folder.appendingPathComponent(name).path, toPath: path)
        return path
    }

    /// Reads the fixture content back exactly; `unfinished` is how exchange 3 must read, `events`
    /// the derived event counts (nil: not derived).
    private func expectFixtureContent(_ archive: Archive, unfinished: Exchange, events: [Int?]) throws {
        #expect(try archive.exchange(id: 1) == stored(FixtureV1.chat, id: 1))
        #expect(try archive.exchange(id: 2) == stored(FixtureV1.reset, id: 2))
        #expect(try archive.exchange(id: 3) == unfinished)
        let rows = try archive.summaries()
        #expect(rows.map(\.derived?.events) == events)
        #expect(rows.map(\.summary.bytes) == [FixtureV1.chat.body.count, FixtureV1.reset.body.count, 15])
        #expect(try archive.exchangeIDs(tag: "fixture") == [1, 2])
        let body = FixtureV1.chat.body
        #expect(try archive.chunks(id: 1, byteRange: (body.count - 1)..<body.count).map(\.chunk.seq) == [FixtureV1.chat.chunks.count - 1])
    }

    private var recovered: Exchange {
        var e = stored(FixtureV1.unfinished, id: 3)
        e.end = ExchangeEnd(offsetNs: 2_000, state: .interrupted, error: "the recorder stopped before the exchange ended")
        return e
    }

    /// Versions before 3 are upgraded on their first read-write open: content exactly as written,
    /// every summary to be derived again (warnings were not counted before), then derived.
    @Test(arguments: [1, 2])
    func olderFixtureIsUpgradedOnItsFirstReadWriteOpenAndReadsBackExactly(version: Int) throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = try copy("archive-v\(version).sqlite", into: tmp)
        #expect(throws: ArchiveError.needsUpgrade(path: path, version: version, supported: Archive.formatVersion)) {
            try Archive.open(path: path, readOnly: true)
        }
        let writable = try Archive.open(path: path)
        try expectFixtureContent(writable, unfinished: recovered, events: [nil, nil, nil])
        #expect(try writable.underivedIDs() == [1, 2, 3])
        #expect(try writable.deriveMissing(DerivedInfo.countingEvents) == 3)
        #expect(try writable.summaries().map(\.derived) == [DerivedInfo(events: 2), DerivedInfo(events: 1), DerivedInfo(events: 1)])
        let db = try Connection(path: path, mode: .readOnly)
        #expect(try db.scalar("PRAGMA user_version") == Int64(Archive.formatVersion))
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'chunks_start_byte'") == 0)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'exchanges_underived'") == 1)
        let writer = try ArchiveWriter(archive: writable)
        #expect(try writer.insert(FixtureV1.chat) == 4)
        writer.close()
        #expect(try Archive.open(path: path, readOnly: true).exchange(id: 4) == stored(FixtureV1.chat, id: 4))
    }

    /// Versions 3 to 5 gain the later columns on their first read-write open (`timing_unknown` all
    /// 0, measures empty), and every summary is to be derived again, to fill the measures.
    @Test(arguments: [3, 4, 5])
    func v3ToV5FixturesAreUpgradedOnTheirFirstReadWriteOpenAndDerivedAgain(version: Int) throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = try copy("archive-v\(version).sqlite", into: tmp)
        #expect(throws: ArchiveError.needsUpgrade(path: path, version: version, supported: Archive.formatVersion)) {
            try Archive.open(path: path, readOnly: true)
        }
        let writable = try Archive.open(path: path)
        try expectFixtureContent(writable, unfinished: recovered, events: [nil, nil, nil])
        #expect(try writable.summaries().map(\.summary.timingUnknown) == [false, false, false])
        #expect(try writable.underivedIDs() == [1, 2, 3])
        let measured = Measures(model: "m", ttfcNs: 7, contentEvents: 2, tokensOut: 9, tokensPerSecond: 1.5, stop: "stop")
        #expect(try writable.deriveMissing { DerivedInfo(events: $0.chunks.count, measures: measured, codes: ["stall"]) } == 3)
        #expect(try writable.summaries().map(\.derived) == [DerivedInfo(events: 2, measures: measured, codes: ["stall"]),
                                                             DerivedInfo(events: 2, measures: measured, codes: ["stall"]),
                                                             DerivedInfo(events: 1, measures: measured, codes: ["stall"])])
        let db = try Connection(path: path, mode: .readOnly)
        #expect(try db.scalar("PRAGMA user_version") == Int64(Archive.formatVersion))
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name IN ('exchanges_started', 'exchanges_model', 'exchanges_measures')") == 3)
    }

    /// Version 4 gains a distinct random `uid` per exchange and an empty `recorder` on its first read-write open.
    @Test func v4FixtureIsUpgradedWithAUIDPerExchange() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = try copy("archive-v4.sqlite", into: tmp)
        let writable = try Archive.open(path: path)
        let identities = try (1...3).map { try writable.identity(id: Int64($0)) }
        #expect(identities.map(\.recorder) == ["", "", ""])
        #expect(Set(identities.map(\.uid)).count == 3 && identities.allSatisfy { $0.uid.count == 32 })
    }

    @Test func v6FixtureOpensReadOnlyAndReadsBackExactly() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = try copy("archive-v6.sqlite", into: tmp)
        try expectFixtureContent(try Archive.open(path: path, readOnly: true), unfinished: stored(FixtureV1.unfinished, id: 3),
                                 events: [2, 1, nil])  // the unfinished one was never derived
        let writable = try Archive.open(path: path)
        try expectFixtureContent(writable, unfinished: recovered, events: [2, 1, nil])
        #expect(try Connection(path: path, mode: .readOnly).scalar("PRAGMA user_version") == Int64(Archive.formatVersion))
    }

    @Test func anImportedExchangeKeepsItsUnknownTiming() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = try copy("archive-v2.sqlite", into: tmp)
        let writer = try ArchiveWriter(archive: try Archive.open(path: path))
        var imported = FixtureV1.chat
        imported.timingUnknown = true
        #expect(try writer.insert(imported) == 4)
        writer.close()
        let archive = try Archive.open(path: path, readOnly: true)
        #expect(try archive.exchange(id: 4) == stored(imported, id: 4))
        #expect(try archive.summaries().map(\.summary.timingUnknown) == [false, false, false, true])
    }

    /// Writes the fixture's content with today's writer and checks it reads back like the committed
    /// fixture of the current version; with STREAMTAPE_WRITE_FIXTURES set it also writes that
    /// fixture (once per new format version, then commit it).
    @Test func todaysWriterProducesTheFixtureContent() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let name = "archive-v\(Archive.formatVersion).sqlite"
        let path = tmp.path(name)
        do {
            let archive = try Archive.open(path: path)
            let writer = try ArchiveWriter(archive: archive)
            #expect(try writer.insert(FixtureV1.chat) == 1)
            #expect(try writer.insert(FixtureV1.reset) == 2)
            let u = FixtureV1.unfinished
            let id = try writer.begin(startedMs: u.startedMs, upstream: u.upstream, request: u.request, tags: u.tags)
            writer.response(id, u.response!)
            for c in u.chunks { writer.chunk(id, c) }
            try writer.flush()
            writer.close()
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        if ProcessInfo.processInfo.environment["STREAMTAPE_WRITE_FIXTURES"] != nil {
            let target = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(atPath: path, toPath: target.path)
            return
        }
        let fresh = try Archive.open(path: path, readOnly: true)
        let committed = try Archive.open(path: FixtureV1.folder.appendingPathComponent(name).path, readOnly: true)
        for id: Int64 in 1...3 { #expect(try fresh.exchange(id: id) == committed.exchange(id: id)) }
    }
}
