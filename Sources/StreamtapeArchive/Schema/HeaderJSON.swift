import Foundation
import StreamtapeCore

/// Headers stored as JSON text `[["name","value"], ...]`: order, case and duplicates kept.
enum HeaderJSON {
    /// Encodes headers in order.
    static func encode(_ headers: [Header]) -> String {
        let pairs = headers.map { [$0.name, $0.value] }
        let data = (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes what `encode` wrote; text that is not such a list yields no headers.
    static func decode(_ text: String) -> [Header] {
        guard let pairs = try? JSONDecoder().decode([[String]].self, from: Data(text.utf8)) else { return [] }
        return pairs.compactMap { $0.count == 2 ? Header($0[0], $0[1]) : nil }
    }
}

/// Nanosecond offsets are `UInt64` in the model and `INTEGER` (signed 64-bit) in SQLite: the bit
/// pattern is stored, so every value round-trips.
enum Nanos {
    /// For binding.
    static func store(_ ns: UInt64) -> Int64 { Int64(bitPattern: ns) }
    /// For reading.
    static func load(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) }
}
