/// A rectangle of the screen.
public struct Rect: Hashable, Sendable {
    /// Top row, left column, size.
    public var row: Int, col: Int, width: Int, height: Int
}

/// Where each part of the exchange view goes for a screen size. Narrow screens stack the timeline
/// over the detail (and the text pane); from 120 columns the detail sits beside the timeline.
public struct Layout: Hashable, Sendable {
    /// The smallest usable screen.
    public static let minWidth = 40, minHeight = 12
    /// Header (2 rows), timeline, detail, text (zero-sized when hidden), gap chart (3 rows), status (1 row).
    public var header: Rect, timeline: Rect, detail: Rect, text: Rect, chart: Rect, status: Rect

    /// Computes the layout.
    public init(width: Int, height: Int, showText: Bool) {
        header = Rect(row: 0, col: 0, width: width, height: 2)
        status = Rect(row: height - 1, col: 0, width: width, height: 1)
        chart = Rect(row: height - 4, col: 0, width: width, height: 3)
        let top = 2, avail = max(0, height - 6)
        if width >= 120 {
            let left = width * 11 / 20
            timeline = Rect(row: top, col: 0, width: left, height: avail)
            let right = width - left - 1
            if showText {
                let d = avail / 2
                detail = Rect(row: top, col: left + 1, width: right, height: d)
                text = Rect(row: top + d, col: left + 1, width: right, height: avail - d)
            } else {
                detail = Rect(row: top, col: left + 1, width: right, height: avail)
                text = Rect(row: top, col: left + 1, width: 0, height: 0)
            }
        } else if showText {
            let t = max(4, avail / 3)
            let d = (avail - t) / 2
            timeline = Rect(row: top, col: 0, width: width, height: t)
            detail = Rect(row: top + t, col: 0, width: width, height: d)
            text = Rect(row: top + t + d, col: 0, width: width, height: avail - t - d)
        } else {
            let t = max(4, avail * 2 / 5)
            timeline = Rect(row: top, col: 0, width: width, height: t)
            detail = Rect(row: top + t, col: 0, width: width, height: avail - t)
            text = Rect(row: top + t, col: 0, width: 0, height: 0)
        }
    }
}
