/// Finds bytes that are not UTF-8 in a body, in one pass.
enum UTF8Check {
    /// Offset of the first invalid byte and the number of invalid sequences, nil when all is UTF-8.
    static func invalid(in bytes: [UInt8]) -> (first: Int, count: Int)? {
        var first: Int?
        var count = 0
        bytes.withUnsafeBufferPointer { b in
            walk(b) { i in
                if first == nil { first = i }
                count += 1
                return true
            }
        }
        return first.map { ($0, count) }
    }

    /// Whether `b` is all UTF-8.
    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var valid = true
        walk(b) { _ in valid = false; return false }
        return valid
    }

    /// Walks `b` once, calling `invalid` with the offset of each invalid sequence while it returns true.
    @inline(__always)
    private static func walk(_ b: UnsafeBufferPointer<UInt8>, _ invalid: (Int) -> Bool) {
        var i = 0
        while i < b.count {
            i = asciiEnd(b, from: i)
            guard i < b.count else { return }
            if b[i] < 0x80 { i += 1; continue }
            let (ok, length) = sequence(in: b, at: i)
            if !ok, !invalid(i) { return }
            i += length
        }
    }

    /// The first index at or after `from` that may hold a non-ASCII byte: skips eight ASCII bytes at a time.
    @inline(__always)
    private static func asciiEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = b.baseAddress else { return from }
        var i = from
        while i + 8 <= b.count, UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        return i
    }

    /// The multi-byte sequence starting at `i`: whether it is valid and how many bytes it (or, when invalid,
    /// its maximal invalid subpart, as U+FFFD replacement counts it) takes.
    @inline(__always)
    private static func sequence(in b: UnsafeBufferPointer<UInt8>, at i: Int) -> (ok: Bool, length: Int) {
        let need: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b[i] {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: need = -1
        }
        var ok = need > 0
        var j = 1
        while ok, j <= need {
            if i + j >= b.count { ok = false; break }
            let t = b[i + j]
            if j == 1 { ok = t >= lo && t <= hi } else { ok = t >= 0x80 && t <= 0xBF }
            if ok { j += 1 }
        }
        return ok ? (true, need + 1) : (false, max(1, j))
    }
}
