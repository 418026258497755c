import StreamtapeCore

/// Consecutive chunk rows of a batch, stored together: multi-row `INSERT`s instead of one per chunk.
///
/// With PostgreSQL every statement is a round trip that waits for the server's answer, so one row
/// per statement caps a writer at the round-trip rate (bench/pg). The writer appends chunk rows
/// here and flushes before any other statement, so the order of its writes is kept. A flush sends
/// statements of 512, 256, ... 1 rows (the binary digits of the row count), so at most
/// `maxRows.trailingZeroBitCount + 1` statements are prepared per connection. The group flushes
/// itself at `maxRows` rows or `maxBytes` of chunk bytes, which bounds a statement's parameters.
struct ChunkGroup {
    /// Rows per statement at most.
    static let maxRows = 512
    /// Chunk bytes held before the group flushes itself.
    static let maxBytes = 1 << 20
    private var rows: [(id: Int64, chunk: Chunk, startByte: Int)] = []
    private var bytes = 0

    /// Adds a row; flushes into `db` when the group is full.
    mutating func append(id: Int64, _ chunk: Chunk, startByte: Int, into db: any StoreConnection) throws {
        rows.append((id, chunk, startByte))
        bytes += chunk.bytes.count
        if rows.count >= Self.maxRows || bytes >= Self.maxBytes { try flush(into: db) }
    }

    /// Inserts every waiting row, in order. On a throw the rows are dropped (the batch fails or is retried whole).
    mutating func flush(into db: any StoreConnection) throws {
        defer { removeAll() }
        var done = 0
        while done < rows.count {
            let power = Int.bitWidth - 1 - (rows.count - done).leadingZeroBitCount
            let count = 1 << power
            let s = try db.cached(Self.inserts[power])
            for (k, row) in rows[done..<done + count].enumerated() {
                let p = Int32(k * 5)
                try s.bind(p + 1, row.id); try s.bind(p + 2, row.chunk.seq); try s.bind(p + 3, Nanos.store(row.chunk.offsetNs))
                try s.bind(p + 4, row.startByte); try s.bind(p + 5, row.chunk.bytes)
            }
            try s.step()
            s.reset()
            done += count
        }
    }

    /// Forgets the waiting rows.
    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        bytes = 0
    }

    /// The statements of 1, 2, 4, ... `maxRows` rows.
    private static let inserts = (0...maxRows.trailingZeroBitCount).map { insert(rows: 1 << $0) }

    /// `INSERT INTO chunks` of `rows` rows, parameters `?1` to `?(5 x rows)`.
    private static func insert(rows: Int) -> String {
        let values = (0..<rows).map { k in "(?\(5 * k + 1), ?\(5 * k + 2), ?\(5 * k + 3), ?\(5 * k + 4), ?\(5 * k + 5))" }
        return "INSERT INTO chunks (exchange_id, seq, offset_ns, start_byte, bytes) VALUES " + values.joined(separator: ", ")
    }
}
