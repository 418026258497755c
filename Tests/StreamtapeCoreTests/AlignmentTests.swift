import Testing
@testable import StreamtapeCore

/// The event alignment behind `diff`: a longest common subsequence kept, the rest paired or left over.
@Suite struct AlignmentTests {
    /// LCS length by dynamic programming, the independent reference.
    private func lcs(_ a: [Int], _ b: [Int]) -> Int {
        var t = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in a.indices.reversed() { for j in b.indices.reversed() { t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : max(t[i + 1][j], t[i][j + 1]) } }
        return t[0][0]
    }

    @Test func knownSmallCases() {
        #expect(Alignment.align([1, 2, 3], [1, 2, 3]) == [.same(a: 0, b: 0), .same(a: 1, b: 1), .same(a: 2, b: 2)])
        #expect(Alignment.align([1, 2, 3], [1, 9, 3]) == [.same(a: 0, b: 0), .changed(a: 1, b: 1), .same(a: 2, b: 2)])
        #expect(Alignment.align([1, 2, 3], [1, 3]) == [.same(a: 0, b: 0), .removed(a: 1), .same(a: 2, b: 1)])
        #expect(Alignment.align([1, 3], [1, 2, 3]) == [.same(a: 0, b: 0), .added(b: 1), .same(a: 1, b: 2)])
        #expect(Alignment.align([Int](), [7]) == [.added(b: 0)])
        #expect(Alignment.align([7], [Int]()) == [.removed(a: 0)])
        #expect(Alignment.align([Int](), [Int]()) == [])
    }

    /// On random sequences: every element of each side appears once, in order, and `same` pairs are
    /// equal and as many as the longest common subsequence.
    @Test func randomSequencesAlignToALongestCommonSubsequence() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...25, using: &rng)).map { _ in Int.random(in: 0...4, using: &rng) }
            let b = (0..<Int.random(in: 0...25, using: &rng)).map { _ in Int.random(in: 0...4, using: &rng) }
            let steps = Alignment.align(a, b)
            var ia: [Int] = [], ib: [Int] = [], same = 0
            for s in steps {
                switch s {
                case let .same(i, j): ia.append(i); ib.append(j); same += 1; #expect(a[i] == b[j])
                case let .changed(i, j): ia.append(i); ib.append(j)
                case let .removed(i): ia.append(i)
                case let .added(j): ib.append(j)
                }
            }
            #expect(ia == Array(a.indices) && ib == Array(b.indices))
            #expect(same == lcs(a, b))
        }
    }

    /// Sequences too different for the bounded search are paired by position.
    @Test func veryDifferentLongSequencesArePairedByPosition() {
        let a = Array(0..<3000), b = Array(10_000..<13_001)
        let steps = Alignment.align(a, b)
        #expect(steps.count == 3001 && steps.first == .changed(a: 0, b: 0) && steps.last == .added(b: 3000))
    }
}
