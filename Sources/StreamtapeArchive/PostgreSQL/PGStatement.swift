internal import CLibPQ
import Foundation

/// A statement prepared on the server, its parameters for the next run and the rows of the last.
/// Parameters count from 1 and columns from 0, as with SQLite; results arrive in binary.
final class PGStatement: StoreStatement {
    private unowned let connection: PGConnection
    private let name: String
    private var values: [[UInt8]?] = []
    private var binary: [Bool] = []
    private var result: OpaquePointer?
    private var row: Int32 = -1

    /// Wraps the statement prepared as `name` on `connection`.
    init(connection: PGConnection, name: String) { self.connection = connection; self.name = name }

    deinit { PQclear(result) }

    /// SQLite's `?N` parameters as PostgreSQL's `$N` (our SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String { sql.replacingOccurrences(of: "?", with: "$") }

    /// Drops the last result and the parameters.
    func reset() {
        PQclear(result)
        result = nil; row = -1
        values.removeAll(keepingCapacity: true); binary.removeAll(keepingCapacity: true)
    }

    private func set(_ index: Int32, _ value: [UInt8]?, binary isBinary: Bool) {
        let i = Int(index) - 1
        while values.count <= i { values.append(nil); binary.append(false) }
        values[i] = value; binary[i] = isBinary
    }

    /// Binds an integer (as text; the server knows the column's type).
    func bind(_ index: Int32, _ value: Int64) throws { set(index, Array(String(value).utf8), binary: false) }
    /// Binds an integer or NULL.
    func bind(_ index: Int32, _ value: Int64?) throws { set(index, value.map { Array(String($0).utf8) }, binary: false) }
    /// Binds text or NULL.
    func bind(_ index: Int32, _ value: String?) throws { set(index, value.map { Array($0.utf8) }, binary: false) }
    /// Binds bytes (binary format: a `bytea` parameter).
    func bind(_ index: Int32, _ value: [UInt8]) throws { set(index, value, binary: true) }
    /// Binds a real number or NULL, in its shortest round-tripping decimal spelling.
    func bind(_ index: Int32, _ value: Double?) throws { set(index, value.map { Array("\($0)".utf8) }, binary: false) }

    /// Runs the statement on the first call, then moves to the next row: true while there is one.
    @discardableResult
    func step() throws -> Bool {
        if result == nil { result = try connection.run(name, values, binary: binary) }
        row += 1
        return row < PQntuples(result)
    }

    /// Whether column `i` is NULL.
    func isNull(_ i: Int32) -> Bool { PQgetisnull(result, row, i) != 0 }

    /// Column `i` as an integer (int2, int4, int8 or bool in binary, big-endian); 0 when NULL.
    func int64(_ i: Int32) -> Int64 {
        guard !isNull(i), let p = PQgetvalue(result, row, i) else { return 0 }
        let n = Int(PQgetlength(result, row, i))
        var v: Int64 = 0
        let raw = UnsafeRawPointer(p)
        for k in 0..<n { v = (v << 8) | Int64(raw.load(fromByteOffset: k, as: UInt8.self)) }
        // Sign-extend the narrower integer types.
        if n > 0 && n < 8 { let shift = Int64(64 - 8 * n); v = (v << shift) >> shift }
        return v
    }

    /// Column `i` as text ("" when NULL).
    func text(_ i: Int32) -> String { String(decoding: blob(i), as: UTF8.self) }
    /// Column `i` as a real number (float8 or float4 in binary, big-endian IEEE 754); 0 when NULL.
    func double(_ i: Int32) -> Double {
        let bytes = blob(i)
        let bits = bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        switch bytes.count {
        case 8: return Double(bitPattern: bits)
        case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        default: return 0
        }
    }

    /// Column `i` as bytes.
    func blob(_ i: Int32) -> [UInt8] {
        guard !isNull(i), let p = PQgetvalue(result, row, i) else { return [] }
        let n = Int(PQgetlength(result, row, i))
        return [UInt8](UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: n))
    }
}
