/// Unicode block sparklines: one character per bin, height by count.
public enum Sparkline {
    /// The eight block heights, lowest first.
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `values` binned into `bins` equal bins over `range` (values outside it go to the end bins);
    /// an empty bin is a space, the fullest a full block.
    public static func render(_ values: [Double], range: ClosedRange<Double>, bins: Int = 10) -> String {
        guard bins > 0, !values.isEmpty else { return String(repeating: " ", count: max(bins, 0)) }
        var counts = [Int](repeating: 0, count: bins)
        let width = range.upperBound - range.lowerBound
        for v in values {
            let bin = width > 0 ? Int(((v - range.lowerBound) / width * Double(bins)).rounded(.down)) : 0
            counts[min(max(bin, 0), bins - 1)] += 1
        }
        let top = counts.max() ?? 1
        return String(counts.map { c -> Character in
            guard c > 0 else { return " " }
            return blocks[min(7, (c * 8 - 1) / top)]
        })
    }
}
