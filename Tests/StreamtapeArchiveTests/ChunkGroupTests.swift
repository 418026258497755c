import Foundation
import StreamtapeCore
import StreamtapeTestSupport
import Testing
@testable import StreamtapeArchive

/// The writer sends a batch's consecutive chunks to PostgreSQL in multi-row statements, one round
/// trip per group instead of one per chunk (bench/pg: per-chunk round trips capped a writer).
@Suite struct ChunkGroupTests {
    /// An exchange of `chunks` (one chunk if empty) to insert whole.
    private func exchange(_ chunks: [Chunk]) -> Exchange {
        Exchange(startedMs: 1, upstream: "http://127.0.0.1:1", request: CapturedRequest(method: "POST", target: "/"),
                 response: CapturedResponse(status: 200, headers: [], offsetNs: 1), chunks: chunks,
                 end: ExchangeEnd(offsetNs: 9_999_999_999, state: .complete), tags: [], note: nil)
    }

    @Test func chunksGoToPostgreSQLInGroupsOfAtMost512RowsOrOneMegabyte() throws {
        let archive = try Archive.open(path: try PGCluster.shared.newDatabase())
        // Derived facts wait until the end, so each insert's batch is the last one committed.
        let gate = DispatchSemaphore(value: 0)
        let writer = try ArchiveWriter(archive: archive, derive: { gate.wait(); return DerivedInfo.countingEvents($0) })
        defer { for _ in 0..<6 { gate.signal() }; writer.close() }
        // Round trips of inserting `e`, the second time (the first also prepares its statements).
        func trips(_ e: Exchange) throws -> (id: Int64, trips: Int) {
            _ = try writer.insert(e)
            let id = try writer.insert(e)
            return (id, writer.lastBatchRoundTrips)
        }

        let one = exchange([Chunk(seq: 0, offsetNs: 3, bytes: [0x00])])
        let (oneID, base) = try trips(one)

        // 1,100 small chunks: statements of 512, 512, 64, 8 and 4 rows, 4 more round trips than one chunk.
        let small = (0..<1_100).map { i in
            Chunk(seq: i, offsetNs: UInt64(i) * 1_000, bytes: Array("data: \(i)\n\n".utf8) + (i % 3 == 0 ? [0xFF, 0x00] : []))
        }
        let (smallID, smallTrips) = try trips(exchange(small))
        #expect(smallTrips - base == 4)

        // Five chunks of 300 KB: the group is sent at 1 MB (four rows), then the fifth alone.
        let large = (0..<5).map { i in Chunk(seq: i, offsetNs: UInt64(i), bytes: pseudoRandomBytes(300_000, seed: UInt64(i))) }
        let (largeID, largeTrips) = try trips(exchange(large))
        #expect(largeTrips - base == 1)

        #expect(try archive.exchange(id: oneID).chunks == one.chunks)
        #expect(try archive.exchange(id: smallID).chunks == small)
        #expect(try archive.exchange(id: largeID).chunks == large)
        let starts = try archive.chunks(id: smallID, byteRange: 0..<Int.max).map(\.startByte)
        #expect(starts == small.indices.map { i in small[..<i].reduce(0) { $0 + $1.bytes.count } })
    }

    @Test func interleavedRecordedChunksOfTwoExchangesAreStoredInOrder() throws {
        let archive = try Archive.open(path: try PGCluster.shared.newDatabase())
        let writer = try ArchiveWriter(archive: archive)
        defer { writer.close() }
        let request = CapturedRequest(method: "POST", target: "/")
        let a = try writer.begin(startedMs: 1, upstream: "u", request: request, tags: [])
        let b = try writer.begin(startedMs: 2, upstream: "u", request: request, tags: [])
        var expected: [Int64: [Chunk]] = [a: [], b: []]
        for i in 0..<2_000 {
            let id = i % 3 == 0 ? b : a
            let chunk = Chunk(seq: expected[id]!.count, offsetNs: UInt64(i), bytes: Array("data: \(i)\n\n".utf8))
            expected[id]!.append(chunk)
            writer.chunk(id, chunk)
            if i == 1_000 { writer.addTags(id: a, ["half"]) }
        }
        writer.end(a, ExchangeEnd(offsetNs: 5_000, state: .complete))
        writer.end(b, ExchangeEnd(offsetNs: 6_000, state: .clientDisconnected))
        try writer.flush()
        for id in [a, b] {
            let e = try archive.exchange(id: id)
            #expect(e.chunks == expected[id]!)
            let row = try #require(try archive.summaries().first { $0.summary.id == id })
            #expect(row.summary.chunks == expected[id]!.count)
            #expect(row.summary.bytes == expected[id]!.reduce(0) { $0 + $1.bytes.count })
        }
        #expect(try archive.exchangeIDs(tag: "half") == [a])
    }
}
