/// Aligns two sequences one to one with Myers' O((n + m) · D) difference algorithm ("An O(ND)
/// Difference Algorithm and Its Variations", 1986): the longest common subsequence is kept as
/// `same`; within each run of removals and additions between two kept elements, elements are paired
/// in order as `changed` and the rest are `removed` or `added`.
public enum Alignment {
    /// One step of an alignment: indices into the first (`a`) and second (`b`) sequence.
    public enum Step: Hashable, Sendable {
        /// Equal elements.
        case same(a: Int, b: Int)
        /// An element of `a` replaced by one of `b` at the same place.
        case changed(a: Int, b: Int)
        /// An element only in `a`.
        case removed(a: Int)
        /// An element only in `b`.
        case added(b: Int)
    }

    /// The alignment of `a` and `b`, in order.
    public static func align<T: Equatable>(_ a: [T], _ b: [T]) -> [Step] {
        var steps: [Step] = []
        var removed: [Int] = [], added: [Int] = []
        func flush() {
            let paired = min(removed.count, added.count)
            for k in 0..<paired { steps.append(.changed(a: removed[k], b: added[k])) }
            for i in removed.dropFirst(paired) { steps.append(.removed(a: i)) }
            for j in added.dropFirst(paired) { steps.append(.added(b: j)) }
            removed.removeAll(); added.removeAll()
        }
        for edit in script(a, b) {
            switch edit {
            case let .keep(i, j): flush(); steps.append(.same(a: i, b: j))
            case let .delete(i): removed.append(i)
            case let .insert(j): added.append(j)
            }
        }
        flush()
        return steps
    }

    private enum Edit { case keep(Int, Int), delete(Int), insert(Int) }

    /// Beyond this many edits the sequences have little in common; they are then paired by position,
    /// which keeps time and memory bounded (the frontiers kept for the walk back grow with D²).
    static let maxEdits = 2_000

    /// The shortest edit script: forward Myers, keeping each round's frontier, then a walk back.
    private static func script<T: Equatable>(_ a: [T], _ b: [T]) -> [Edit] {
        let n = a.count, m = b.count, max = n + m
        guard max > 0 else { return [] }
        let offset = max + 1
        var v = [Int](repeating: 0, count: 2 * max + 3)
        // trace[d]: the frontier before round d, for diagonals -d-1 ... d+1 (index k + d + 1).
        var trace: [[Int]] = []
        var found = false
        for d in 0...Swift.min(max, maxEdits) {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m { found = true; break }
            }
            if found { break }
        }
        guard found else { return byPosition(a, b) }
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let frontier = trace[d]
            let at = { (k: Int) in frontier[k + d + 1] }
            let k = x - y
            let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let prevX = at(prevK), prevY = prevX - prevK
            while x > prevX, y > prevY { x -= 1; y -= 1; edits.append(.keep(x, y)) }
            if d > 0 {
                edits.append(x == prevX ? .insert(prevY) : .delete(prevX))
                x = prevX; y = prevY
            }
        }
        return edits.reversed()
    }

    /// Element i of `a` against element i of `b`; the longer one's tail removed or added.
    private static func byPosition<T: Equatable>(_ a: [T], _ b: [T]) -> [Edit] {
        var edits: [Edit] = []
        for i in 0..<Swift.max(a.count, b.count) {
            if i < a.count, i < b.count, a[i] == b[i] { edits.append(.keep(i, i)); continue }
            if i < a.count { edits.append(.delete(i)) }
            if i < b.count { edits.append(.insert(i)) }
        }
        return edits
    }
}
