import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeArchive

@Suite struct RoundTripTests {
    @Test func recordedExchangeReadsBackByteExact() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        let original = sampleExchange()
        let id = try record(original, into: writer)
        try writer.flush()
        let back = try archive.exchange(id: id)
        #expect(back == stored(original, id: id))
        #expect(back.body == original.body)
        #expect(back.request.headers.map(\.name) == ["Content-Type", "x-trace", "X-Trace", "authorization"])
        #expect(back.chunks.map(\.offsetNs) == [231_045_000, 262_990_000, 262_990_001, UInt64.max])
        writer.close()
    }

    @Test func insertStoresWholeExchangeAndDerivesIt() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        let original = sampleExchange()
        let id = try writer.insert(original)
        #expect(id == 1)
        #expect(try archive.exchange(id: id) == stored(original, id: id))
        try writer.flush()
        // Events: {"a":"hé"}, then "x" (CR LF CR LF ends it), then [DONE]; the FF FE 00 line is an
        // unknown field; so 3 events.
        #expect(try archive.derived(id: id) == DerivedInfo(dialect: "", events: 3))
        writer.close()
    }

    @Test func everyEndStateRoundTrips() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        var ids: [EndState: Int64] = [:]
        for state in EndState.allCases where state != .inProgress {
            let end = ExchangeEnd(offsetNs: 42, state: state, error: state == .complete ? nil : "why: \(state.rawValue)")
            ids[state] = try record(sampleExchange(end: end), into: writer)
        }
        let open = try record(sampleExchange(end: nil), into: writer)
        try writer.flush()
        for (state, id) in ids {
            let e = try archive.exchange(id: id)
            #expect(e.end == ExchangeEnd(offsetNs: 42, state: state, error: state == .complete ? nil : "why: \(state.rawValue)"))
        }
        #expect(try archive.exchange(id: open).end == nil)
        let rows = try archive.summaries()
        #expect(rows.map(\.summary.state) == EndState.allCases.filter { $0 != .inProgress } + [.inProgress])
        writer.close()
    }

    @Test func summariesCarryCountsDerivedFactsAndTags() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive, derive: { e in DerivedInfo(dialect: "openai-chat", events: e.chunks.count * 10, errors: 2, warnings: 5) })
        let a = try record(sampleExchange(), into: writer)
        var plain = sampleExchange(); plain.tags = []; plain.note = nil
        let b = try record(plain, into: writer)
        writer.addTags(id: b, ["later"])
        try writer.flush()
        let rows = try archive.summaries(limit: 10, offset: 0)
        #expect(rows.count == 2)
        #expect(rows[0].summary == ExchangeSummary(id: a, startedMs: 1_795_000_000_123, upstream: "https://api.openai.com",
                                                   method: "POST", target: "/v1/chat/completions?stream=1", status: 200,
                                                   state: .complete, chunks: 4, bytes: sampleExchange().body.count,
                                                   firstChunkNs: 231_045_000, endNs: 1_503_000_000, tags: ["openai", "smoke"]))
        #expect(rows[0].derived == DerivedInfo(dialect: "openai-chat", events: 40, errors: 2, warnings: 5))
        #expect(rows[0].note == "a note")
        #expect(rows[1].summary.tags == ["later"])
        #expect(try archive.summaries(limit: 1, offset: 1).map(\.summary.id) == [b])
        #expect(try archive.exchangeIDs(tag: "smoke") == [a])
        #expect(try archive.exchangeIDs(tag: "later") == [b])
        #expect(try archive.exchangeIDs(tag: "none") == [])
        #expect(try archive.count() == 2)
        writer.close()
    }

    @Test func chunksByByteRangeUseStartBytes() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        let e = sampleExchange()
        let id = try record(e, into: writer)
        try writer.flush()
        let sizes = e.chunks.map(\.bytes.count)  // 14, 13, 6, 16
        #expect(sizes == [14, 13, 6, 16])
        #expect(try archive.chunks(id: id, byteRange: 0..<1).map(\.startByte) == [0])
        #expect(try archive.chunks(id: id, byteRange: 13..<15).map(\.chunk.seq) == [0, 1])
        #expect(try archive.chunks(id: id, byteRange: 27..<33).map(\.startByte) == [27])
        #expect(try archive.chunks(id: id, byteRange: 20..<1000).map(\.chunk) == Array(e.chunks[1...]))
        #expect(try archive.chunks(id: id, byteRange: 49..<60) == [])
        writer.close()
    }

    /// The byte-range lookup is a binary search over seq: it must find every chunk start, and step
    /// over the gaps a damaged archive can have instead of missing what comes after them.
    @Test func chunksByByteRangeFindEveryStartAndStepOverMissingRows() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("a.sqlite")
        let archive = try Archive.open(path: path)
        let writer = try ArchiveWriter(archive: archive)
        var e = sampleExchange()
        e.chunks = (0..<10).map { Chunk(seq: $0, offsetNs: UInt64($0) * 1_000, bytes: [UInt8](repeating: UInt8(65 + $0), count: 10)) }
        let id = try writer.insert(e)
        writer.close()
        for byte in 0..<100 {
            #expect(try archive.chunks(id: id, byteRange: byte..<(byte + 1)).map(\.chunk.seq) == [byte / 10], "byte \(byte)")
        }
        do {
            let db = try Connection(path: path, mode: .readWrite)
            try db.execute("DELETE FROM chunks WHERE exchange_id = \(id) AND seq IN (4, 5, 6)")
        }
        #expect(try archive.chunks(id: id, byteRange: 45..<75).map(\.chunk.seq) == [7])
        #expect(try archive.chunks(id: id, byteRange: 0..<15).map(\.chunk.seq) == [0, 1])
        #expect(try archive.chunks(id: id, byteRange: 35..<100).map(\.chunk.seq) == [3, 7, 8, 9])
        #expect(try archive.chunks(id: id, byteRange: 95..<1_000).map(\.startByte) == [90])
        #expect(try archive.chunks(id: id, byteRange: 100..<200) == [])
    }

    @Test func unknownIDIsATypedError() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("streamtape.sqlite")
        let archive = try Archive.open(path: path)
        #expect(throws: ArchiveError.noExchange(id: 42, path: path)) { try archive.exchange(id: 42) }
        #expect(throws: ArchiveError.noExchange(id: 42, path: path)) { try archive.source(id: 42) }
        #expect(throws: ArchiveError.noExchange(id: 42, path: path)) { try archive.chunkCount(id: 42) }
        #expect(ArchiveError.noExchange(id: 42, path: "captures/streamtape.sqlite").description
                == "no exchange 42 in captures/streamtape.sqlite")
    }

    @Test func captureSourcePagesChunks() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let archive = try Archive.open(path: tmp.path("a.sqlite"))
        let writer = try ArchiveWriter(archive: archive)
        let e = sampleExchange()
        let id = try record(e, into: writer)
        try writer.flush()
        let source: any CaptureSource = try archive.source(id: id)
        var head = stored(e, id: id); head.chunks = []
        #expect(try source.head() == head)
        #expect(try source.chunkCount() == 4)
        #expect(try source.chunks(1..<3) == Array(e.chunks[1..<3]))
        #expect(try source.chunks(3..<10) == [e.chunks[3]])
        #expect(try source.chunks(10..<20) == [])
        writer.close()
    }
}
