import Foundation
import Testing
import StreamtapeCore
@testable import StreamtapeInspect

@Suite struct InspectDocumentTests {
    @Test(arguments: [1, 7, 64])
    func everyCorpusStreamIndexesToTheEventsOfAOneShotParse(chunkSize: Int) throws {
        for name in Fixtures.corpusNames {
            let body = Fixtures.body(name)
            let exchange = Fixtures.exchange(body, chunk: chunkSize)
            let expected = SSEParser.parse(chunks: exchange.chunks.map(\.bytes)).events
            #expect(expected.map(\.data) == SSEParser.parse(chunks: [body]).events.map(\.data))
            let doc = try Fixtures.document(exchange, pageSize: 5)
            #expect(doc.eventCount == expected.count, "\(name)")
            #expect(doc.byteCount == body.count)
            // Re-parsed from page checkpoints, in an order that defeats the cache.
            for i in stride(from: expected.count - 1, through: 0, by: -1) {
                #expect(doc.event(i) == expected[i], "\(name) event \(i)")
            }
        }
    }

    @Test func rawSpanIsTheEventsBytesWithTheChunkCutsInside() throws {
        let body = Array("data: héllo\r\n\r\ndata: b\n\n".utf8)
        let doc = try Fixtures.document(Fixtures.exchange(body, chunk: 5), pageSize: 2)
        let raw = try #require(doc.raw(0))
        #expect(raw.bytes == Array(body[0..<16]))
        #expect(raw.cuts.map(\.at) == [5, 10, 15])
        #expect(raw.cuts.map(\.chunk) == [1, 2, 3])
        #expect(raw.cuts.map(\.timeNs) == [20_000_000, 30_000_000, 40_000_000])
        let second = try #require(doc.raw(1))
        #expect(second.bytes == Array("data: b\n\n".utf8))
        #expect(second.firstChunk == 3 && second.cuts.map(\.at) == [4])
    }

    @Test func summariesCarryTimeGapSizeAndTheChunksOfEachEvent() throws {
        let body = Array("data: a\n\ndata: b\n\n".utf8)
        let times: [UInt64] = [5_000_000, 6_000_000, 2_006_000_000]
        let doc = try Fixtures.document(Fixtures.exchange(body, chunk: 6, times: times))
        let e0 = try #require(doc.summary(0)), e1 = try #require(doc.summary(1))
        #expect(e0.timeNs == 6_000_000 && e0.gapNs == 6_000_000 && e0.size == 9 && e0.firstChunk == 0 && e0.lastChunk == 1)
        #expect(e1.timeNs == 2_006_000_000 && e1.gapNs == 2_000_000_000 && e1.start == 9 && e1.firstChunk == 1 && e1.lastChunk == 2)
        #expect(doc.lastEvent(atOrBefore: 1_000_000_000) == 0)
        #expect(doc.lastEvent(atOrBefore: 1_000_000) == nil)
    }

    @Test func anUnterminatedNDJSONTailIsAnEventAtFinish() throws {
        let body = Array("{\"a\":1}\n{\"b\":2}".utf8)
        let doc = try Fixtures.document(Fixtures.exchange(body, chunk: 3), dialect: .ollama, pageSize: 2)
        #expect(doc.framing == .ndjson)
        #expect(doc.eventCount == 2)
        #expect(doc.event(1)?.data == "{\"b\":2}")
    }

    @Test func backgroundIndexingCompletesAndRunsTheAnalyzerOnce() throws {
        var body: [UInt8] = []
        for i in 0..<5000 { body += Array("data: {\"n\":\(i)}\n\n".utf8) }
        body += Array("event: error\ndata: {\"error\":\"overloaded\"}\n\n".utf8)   // Core's one finding: error-event
        let doc = try InspectDocument(source: MemoryCaptureSource(Fixtures.exchange(body, chunk: 13)),
                                      dialect: .generic, pageSize: 64)
        #expect(doc.eventCount < 5001)        // only the first page before the thread runs
        doc.startIndexing()
        let deadline = Date().addingTimeInterval(30)
        while doc.findingsStatus != .ready && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(doc.isComplete && doc.eventCount == 5001)
        #expect(doc.findingEvents == [5000])
        #expect(doc.event(4999)?.data == "{\"n\":4999}")
    }

    @Test func assemblyThroughAnEventShowsOnlyWhatHadArrived() throws {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        #expect(doc.assembly(through: 4).text == "Les chunks arrivent ")
        #expect(doc.assembly(through: 10).text == "Les chunks arrivent un par un — 日本語も表示できる。\nStill going…")
        #expect(doc.assembly(through: 10).errors == [StreamError(type: "overloaded_error", message: "Overloaded", event: 10)])
        #expect(doc.assembly(through: 3).text == "Les chunks ")   // walking back restarts
    }

    @Test func searchWrapsAndMatchesTypesAndDataCaseInsensitively() throws {
        let doc = try Fixtures.document(Fixtures.exchange(Fixtures.midstreamError(), chunk: 64))
        #expect(doc.search("OVERLOADED", from: 0, forward: true) == 10)
        #expect(doc.search("ping", from: 5, forward: true) == 2)
        #expect(doc.search("message_start", from: 3, forward: false) == 0)
        #expect(doc.search("nowhere", from: 0, forward: true) == nil)
    }

    @Test func followPicksUpChunksAppendedWhileRecording() throws {
        let live = LiveSource()
        live.append("data: 1\n\n")
        let doc = try InspectDocument(source: live, follow: true, pageSize: 2)
        #expect(doc.eventCount == 1)
        doc.startIndexing()
        live.append("data: 2\n\ndata: 3\n\n")
        live.finish()
        let deadline = Date().addingTimeInterval(10)
        while !doc.isComplete && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(doc.isComplete && doc.eventCount == 3)
        #expect(doc.event(2)?.data == "3")
        #expect(doc.head.end?.state == .complete)
    }

    @Test func followKeepsTheLastChunksWrittenJustBeforeTheEnd() throws {
        // The recorder commits the last chunk and the end between the follower's chunk count and its
        // look at the head: those chunks must still be indexed, not lost behind the end.
        let live = LiveSource()
        live.append("data: 1\n\n")
        let doc = try InspectDocument(source: live, follow: true, pageSize: 2)
        live.onHead = { live.append("data: 2\n\n"); live.finish() }
        try doc.indexToEnd()
        #expect(doc.isComplete && doc.eventCount == 2)
        #expect(doc.event(1)?.data == "2")
        #expect(doc.head.end?.state == .complete)
    }
}

/// A capture source that grows, like an exchange being recorded.
final class LiveSource: CaptureSource, @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [Chunk] = []
    private var ended = false
    /// Runs once, at the next `head()`, before it answers (a write landing just then).
    var onHead: (() -> Void)?
    func append(_ s: String) {
        lock.lock(); chunks.append(Chunk(seq: chunks.count, offsetNs: UInt64(chunks.count) * 1000, bytes: Array(s.utf8))); lock.unlock()
    }
    func finish() { lock.lock(); ended = true; lock.unlock() }
    func head() throws -> Exchange {
        if let run = onHead { onHead = nil; run() }
        lock.lock(); defer { lock.unlock() }
        return Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: "/x"),
                        end: ended ? ExchangeEnd(offsetNs: 1, state: .complete) : nil)
    }
    func chunkCount() throws -> Int { lock.lock(); defer { lock.unlock() }; return chunks.count }
    func chunks(_ range: Range<Int>) throws -> [Chunk] {
        lock.lock(); defer { lock.unlock() }
        return Array(chunks[range.clamped(to: 0..<chunks.count)])
    }
}

@Suite struct CheckpointTests {
    @Test func aLongUnfinishedEventIsNotCopiedIntoEveryCheckpointAndStillReads() throws {
        // 600 kB of data lines without a blank line, then one, then a small event: 64-byte chunks, pages of 4.
        var body: [UInt8] = Array("data: a\n\n".utf8)
        for _ in 0..<10_000 { body += Array("data: 0123456789012345678901234567890123456789012345678901\n".utf8) }
        body += Array("\ndata: z\n\n".utf8)
        let exchange = Fixtures.exchange(body, chunk: 64)
        let expected = SSEParser.parse(chunks: exchange.chunks.map(\.bytes)).events
        let doc = try Fixtures.document(exchange, pageSize: 4)
        #expect(doc.eventCount == 3)
        let held = doc.checkpointsHeld
        #expect(held.total == (exchange.chunks.count + 3) / 4)
        // Pages start every 256 bytes; the long event starts at byte 9, so only pages 0…256 begin with at
        // most 64 KiB pending; no page begins after it ends.
        #expect(held.kept == 257)
        #expect(doc.event(2) == expected[2])
        #expect(doc.event(1) == expected[1])
        #expect(doc.event(0) == expected[0])
    }
}
