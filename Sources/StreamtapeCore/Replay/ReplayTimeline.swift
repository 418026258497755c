/// The body as timed segments, edited by byte offset: the working form the faults transform.
struct ReplayTimeline {
    var segments: [ReplaySegment]

    /// Total bytes.
    var count: Int { segments.reduce(0) { $0 + $1.bytes.count } }

    /// Splits the segment holding `offset` so that a segment starts there; returns that segment's index.
    @discardableResult
    mutating func split(at offset: Int) -> Int {
        var start = 0
        for i in segments.indices {
            let n = segments[i].bytes.count
            if offset == start { return i }
            if offset < start + n {
                let cut = offset - start
                let tail = ReplaySegment(at: segments[i].at, bytes: Array(segments[i].bytes[cut...]))
                segments[i].bytes.removeSubrange(cut...)
                segments.insert(tail, at: i + 1)
                return i + 1
            }
            start += n
        }
        return segments.count
    }

    /// Keeps only the bytes before `offset`.
    mutating func truncate(at offset: Int) {
        let i = split(at: offset)
        segments.removeSubrange(i...)
    }

    /// Removes the bytes in `range`.
    mutating func remove(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let start = split(at: range.lowerBound)
        let end = split(at: range.upperBound)  // after the first split, so the index is current
        segments.removeSubrange(start..<end)
    }

    /// Delays every byte from `offset` on by `ns`.
    mutating func delay(from offset: Int, by ns: UInt64) {
        let i = split(at: offset)
        for j in i..<segments.count { segments[j].at = ReplayNanoseconds.add(segments[j].at, ns) }
    }

    /// The deadline of the byte just before `offset` (`fallback` at offset 0 or with no bytes).
    func time(before offset: Int, fallback: UInt64) -> UInt64 {
        var start = 0
        for s in segments {
            if offset - 1 < start + s.bytes.count, offset > 0 { return s.at }
            start += s.bytes.count
        }
        return segments.last?.at ?? fallback
    }

    /// The same bytes re-split into pieces whose sizes `nextSize` gives; each piece goes out at the
    /// deadline of the segment holding its last byte, so no byte is sent before it was recorded.
    mutating func rechunk(_ nextSize: () -> Int) {
        var out: [ReplaySegment] = []
        var piece: [UInt8] = []
        var want = max(1, nextSize())
        for s in segments {
            var rest = s.bytes[...]
            while !rest.isEmpty {
                let take = min(want - piece.count, rest.count)
                piece.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                if piece.count == want {
                    out.append(ReplaySegment(at: s.at, bytes: piece))
                    piece = []
                    want = max(1, nextSize())
                }
            }
        }
        if !piece.isEmpty { out.append(ReplaySegment(at: segments.last?.at ?? 0, bytes: piece)) }
        segments = out
    }
}

/// SplitMix64: a tiny seeded generator, so `rechunk=random:SEED` splits the same way every run (and
/// seeded tests repeat).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
