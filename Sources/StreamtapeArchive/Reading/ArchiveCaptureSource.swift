import StreamtapeCore

/// A `CaptureSource` over one archived exchange: pages of chunks are read by sequence range, so a
/// viewer of a million-chunk stream holds only what it shows.
public struct ArchiveCaptureSource: CaptureSource {
    /// The archive read from.
    public let archive: Archive
    /// The exchange id.
    public let id: Int64

    /// Creates a source; `Archive.source(id:)` checks the id first.
    public init(archive: Archive, id: Int64) { self.archive = archive; self.id = id }

    /// The exchange without its chunks.
    public func head() throws -> Exchange { try archive.head(id: id) }
    /// The current number of chunks.
    public func chunkCount() throws -> Int { try archive.chunkCount(id: id) }
    /// The chunks with sequence numbers in `range` (clamped to what exists).
    public func chunks(_ range: Range<Int>) throws -> [Chunk] { try archive.chunks(id: id, seqRange: range) }
}
