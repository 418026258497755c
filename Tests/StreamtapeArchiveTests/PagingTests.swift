import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeArchive

@Suite struct PagingTests {
    /// Chunk `i` holds the 8 ASCII digits of `i`, arrives at `i` µs, and starts at body byte `8 i`.
    static func expectedChunk(_ i: Int) -> Chunk {
        let digits = String(i)
        return Chunk(seq: i, offsetNs: UInt64(i) * 1_000, bytes: Array((String(repeating: "0", count: 8 - digits.count) + digits).utf8))
    }

    @Test func millionChunkExchangeReadsTheLastPageAlone() throws {
        let tmp = TempFolder(); defer { tmp.cleanup() }
        let path = tmp.path("big.sqlite")
        let archive = try Archive.open(path: path)
        let id: Int64
        do {
            let writer = try ArchiveWriter(archive: archive)
            id = try writer.insert(Exchange(startedMs: 1, upstream: "u", request: CapturedRequest(method: "POST", target: "/"),
                                            end: ExchangeEnd(offsetNs: 1_000_000_000, state: .complete)))
            writer.close()
        }
        // Fill the chunks in one transaction straight in SQL: the setup, not the code under test.
        do {
            let db = try Connection(path: path, mode: .readWrite)
            try db.execute("""
                BEGIN;
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
                INSERT INTO chunks (exchange_id, seq, offset_ns, start_byte, bytes)
                SELECT \(id), i, i * 1000, i * 8, CAST(printf('%08d', i) AS BLOB) FROM n;
                UPDATE exchanges SET chunks = 1000000, bytes = 8000000, first_chunk_ns = 0 WHERE id = \(id);
                COMMIT;
                """)
        }
        let source = try archive.source(id: id)
        #expect(try source.chunkCount() == 1_000_000)
        #expect(try source.chunks(999_990..<1_000_000) == (999_990..<1_000_000).map(Self.expectedChunk))
        #expect(try source.chunks(999_995..<1_000_100) == (999_995..<1_000_000).map(Self.expectedChunk))
        #expect(try source.chunks(0..<3) == (0..<3).map(Self.expectedChunk))
        #expect(try archive.chunks(id: id, byteRange: 7_999_990..<8_000_000)
                == [PositionedChunk(chunk: Self.expectedChunk(999_998), startByte: 7_999_984),
                    PositionedChunk(chunk: Self.expectedChunk(999_999), startByte: 7_999_992)])
        #expect(try archive.chunks(id: id, byteRange: 4_000_003..<4_000_004)
                == [PositionedChunk(chunk: Self.expectedChunk(500_000), startByte: 4_000_000)])
        #expect(try archive.summaries().first?.summary.chunks == 1_000_000)
    }
}
