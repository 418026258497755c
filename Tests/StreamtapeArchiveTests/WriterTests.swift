import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeArchive

@Suite struct WriterTests {
    @Test func tenThousandChunksAreBatchedAndAllStored() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        let id = try writer.begin(startedMs: 1, upstream: "http://127.0.0.1:1", request: CapturedRequest(method: "POST", target: "/"), tags: [])
        writer.response(id, CapturedResponse(status: 200, headers: [Header("content-type", "text/event-stream")], offsetNs: 5))
        var expected: [Chunk] = []
        for i in 0..<10_000 {
            let c = Chunk(seq: i, offsetNs: UInt64(i) * 1_000 + 7, bytes: Array("data: \(i)".utf8) + (i % 7 == 0 ? [0xC3] : []) + [0x0A, 0x0A])
            expected.append(c)
            writer.chunk(id, c)
        }
        writer.end(id, ExchangeEnd(offsetNs: 99_999_999, state: .complete))
        try writer.flush()
        let e = try archive.exchange(id: id)
        #expect(e.chunks == expected)
        let row = try #require(try archive.summaries().first)
        #expect(row.summary.chunks == 10_000)
        #expect(row.summary.bytes == expected.reduce(0) { $0 + $1.bytes.count })
        #expect(row.derived?.events == 10_000)
        // Start bytes are cumulative: the chunk holding the last byte starts where the others end.
        let last = try archive.chunks(id: id, byteRange: (row.summary.bytes - 1)..<row.summary.bytes)
        #expect(last.map(\.startByte) == [row.summary.bytes - expected[9_999].bytes.count])
        // 10,004 ops in far fewer transactions (one per op would be 10,004).
        #expect(writer.commitCount < 1_000)
        writer.close()
    }

    /// The queue reports a backlog once more chunk bytes wait than its limit, and clears it when
    /// the writer takes them (the recorder pauses its upstreams meanwhile).
    @Test func queuedChunkBytesOverTheLimitAreABacklogUntilTheWriterTakesThem() {
        let queue = WriteQueue(ids: .counter(after: 0), backlogLimit: 100)
        let chunk = { (seq: Int) in WriteOp.chunk(id: 1, Chunk(seq: seq, offsetNs: 0, bytes: [UInt8](repeating: 1, count: 40))) }
        _ = queue.push(chunk(0)); _ = queue.push(chunk(1))
        _ = queue.push(.tags(id: 1, ["not", "a", "chunk"]))
        #expect(queue.queuedBytes == 80)
        #expect(!queue.isBacklogged)
        _ = queue.push(chunk(2))
        #expect(queue.queuedBytes == 120)
        #expect(queue.isBacklogged)
        queue.cond.lock()
        let taken = queue.takeAllLocked()
        queue.cond.unlock()
        #expect(taken.count == 4)
        #expect(queue.queuedBytes == 0)
        #expect(!queue.isBacklogged)
    }

    @Test func aWriterWithNothingQueuedIsNotBacklogged() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let writer = try ArchiveWriter(archive: try Archive.open(path: tmp.path("a.sqlite")))
        let id = try writer.begin(startedMs: 1, upstream: "u", request: CapturedRequest(method: "GET", target: "/"), tags: [])
        for i in 0..<1_000 { writer.chunk(id, Chunk(seq: i, offsetNs: UInt64(i), bytes: [UInt8](repeating: 2, count: 1_000))) }
        try writer.flush()
        #expect(!writer.isBacklogged)
        writer.close()
    }

    @Test func commitsWithoutFlushWithinTheInterval() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let archive = try Archive.open(path: path)
        let writer = try ArchiveWriter(archive: archive, commitInterval: .milliseconds(50))
        let id = try writer.begin(startedMs: 1, upstream: "u", request: CapturedRequest(method: "GET", target: "/"), tags: [])
        writer.chunk(id, Chunk(seq: 0, offsetNs: 1, bytes: [1, 2, 3]))
        // Another connection sees it without any flush (polling only waits for the writer thread).
        let reader = try Archive.open(path: path, readOnly: true)
        #expect(eventually(2) { (try? reader.chunkCount(id: id)) == 1 })
        #expect(try reader.summaries().first?.summary.bytes == 3)
        writer.close()
    }

    @Test func removedFolderStopsTheWriterAndIsReported() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let folder = tmp.path("captures")
        let path = folder + "/streamtape.sqlite"
        let archive = try Archive.open(path: path, createFolder: true)
        let failures = FailureLog()
        let writer = try ArchiveWriter(archive: archive, onFailure: { failures.append($0) })
        let id = try writer.begin(startedMs: 1, upstream: "u", request: CapturedRequest(method: "GET", target: "/"), tags: [])
        try writer.flush()
        #expect(writer.failure == nil)
        try FileManager.default.removeItem(atPath: folder)
        writer.chunk(id, Chunk(seq: 0, offsetNs: 1, bytes: [1]))
        let expected = ArchiveError.writeFailed(path: path, detail: "the archive file was removed or renamed")
        #expect(throws: expected) { try writer.flush() }
        #expect(writer.failure == expected)
        #expect(failures.all == [expected])
        #expect(throws: expected) {
            try writer.begin(startedMs: 2, upstream: "u", request: CapturedRequest(method: "GET", target: "/"), tags: [])
        }
        #expect(expected.description == "cannot write to \(path): the archive file was removed or renamed; recording stopped")
        writer.close()
    }

    @Test func fullDiskStopsTheWriterAndKeepsWhatWasCommitted() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let failures = FailureLog()
        let kept: Int64
        var sent: [Chunk] = []
        do {
            let archive = try Archive.open(path: path)
            let writer = try ArchiveWriter(archive: archive, onFailure: { failures.append($0) })
            kept = try record(sampleExchange(), into: writer)
            try writer.flush()
            // Cap the file near its current size: SQLite then fails with SQLITE_FULL, as on a full disk.
            writer.testExecute("PRAGMA max_page_count = 12")
            let id = try writer.begin(startedMs: 1, upstream: "u", request: CapturedRequest(method: "GET", target: "/"), tags: [])
            sent = (0..<64).map { Chunk(seq: $0, offsetNs: UInt64($0), bytes: pseudoRandomBytes(16_384, seed: UInt64($0))) }
            for c in sent { writer.chunk(id, c) }
            let expected = ArchiveError.writeFailed(path: path, detail: "database or disk is full")
            #expect(throws: expected) { try writer.flush() }
            #expect(failures.all == [expected])
            // Later calls are dropped without blocking; inserts throw.
            writer.chunk(id, Chunk(seq: 64, offsetNs: 64, bytes: [1]))
            #expect(throws: expected) { try writer.insert(sampleExchange()) }
            writer.close()
        }
        let reopened = try Archive.open(path: path)
        #expect(try reopened.exchange(id: kept) == stored(sampleExchange(), id: kept))
        // The exchange begun before the cap may have been committed on its own: then it is interrupted.
        let rows = try reopened.summaries()
        #expect(rows.first?.summary.id == kept)
        #expect(rows.count <= 2)
        for row in rows.dropFirst() {
            let e = try reopened.exchange(id: row.summary.id)
            #expect(e.end?.state == .interrupted)
            #expect(e.chunks == Array(sent.prefix(e.chunks.count)))
            #expect(e.chunks.count < sent.count)
        }
    }

    @Test func closeIsIdempotentAndLaterCallsAreRefused() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let archive = try Archive.open(path: path)
        let writer = try ArchiveWriter(archive: archive)
        let id = try record(sampleExchange(), into: writer)
        writer.close()
        writer.close()
        #expect(try archive.exchange(id: id) == stored(sampleExchange(), id: id))
        #expect(throws: ArchiveError.writeFailed(path: path, detail: "the writer is closed")) {
            try writer.begin(startedMs: 1, upstream: "u", request: CapturedRequest(method: "GET", target: "/"), tags: [])
        }
    }

    @Test func idsContinueAfterReopen() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        do {
            let writer = try ArchiveWriter(archive: try Archive.open(path: path))
            #expect(try writer.insert(sampleExchange()) == 1)
            #expect(try writer.insert(sampleExchange()) == 2)
            writer.close()
        }
        let writer = try ArchiveWriter(archive: try Archive.open(path: path))
        #expect(try writer.insert(sampleExchange()) == 3)
        writer.close()
    }
}

@Suite struct WriterLockTests {
    @Test func secondWriterIsRefusedWhileTheFirstIsOpen() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let first = try ArchiveWriter(archive: try Archive.open(path: path))
        #expect(throws: ArchiveError.inUse(path: path)) { try ArchiveWriter(archive: try Archive.open(path: path)) }
        #expect(ArchiveError.inUse(path: "captures/x.sqlite").description
                == "another streamtape process is writing captures/x.sqlite; stop it or use another --archive")
        first.close()
        let second = try ArchiveWriter(archive: try Archive.open(path: path))
        second.close()
    }

    @Test func reopeningReadWriteLeavesALiveRecordingAlone() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let writer = try ArchiveWriter(archive: try Archive.open(path: path))
        let id = try record(sampleExchange(end: nil), into: writer)
        try writer.flush()
        // e.g. an import while the recorder runs: the open exchange must stay `recording`.
        let other = try Archive.open(path: path)
        #expect(try other.exchange(id: id).end == nil)
        writer.end(id, ExchangeEnd(offsetNs: 9, state: .complete))
        try writer.flush()
        #expect(try other.exchange(id: id).end == ExchangeEnd(offsetNs: 9, state: .complete))
        writer.close()
    }
}
