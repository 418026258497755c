/// What the writer tracks for an exchange it is writing, so chunk inserts need no reads.
struct ExchangeCounts {
    /// Chunks stored (the next seq when seqs are dense).
    var chunks = 0
    /// Body bytes stored: the `start_byte` of the next chunk.
    var bytes = 0
    /// Offset of the first chunk.
    var firstChunkNs: UInt64?
    /// Whether the exchanges row lags behind these counts.
    var dirty = false
}
