/// Finds bytes that are not UTF-8 in a body, in one pass.
enum UTF8Check {
    /// Offset of the first invalid byte and the number of invalid sequences, nil when all is UTF-8.
    static func invalid(in bytes: [UInt8]) -> (first: Int, count: Int)? {
        var first: Int?
        var count = 0
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let need: Int
                var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                switch c {
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
                    if i + j >= n { ok = false; break }
                    let t = b[i + j]
                    if j == 1 { ok = t >= lo && t <= hi } else { ok = t >= 0x80 && t <= 0xBF }
                    if ok { j += 1 }
                }
                if ok {
                    i += need + 1
                } else {
                    if first == nil { first = i }
                    count += 1
                    i += max(1, j)   // skip the maximal invalid subpart, as U+FFFD replacement does
                }
            }
        }
        return first.map { ($0, count) }
    }
}
