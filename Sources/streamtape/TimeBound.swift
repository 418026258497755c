import StreamtapeCore

/// A time given on the command line: a timestamp, a UTC date, or an age before now.
enum TimeBound {
    /// Milliseconds since 1970; nil when `text` is none of the forms.
    static func ms(_ text: String, now: Int64) -> Int64? {
        if let t = WallClock.parse(text) { return t }
        if text.count == 10, let t = WallClock.parse(text + "T00:00:00Z") { return t }
        guard let unit = text.last, let n = Int64(text.dropLast()), n >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        default: return nil
        }
        let (age, overflow) = n.multipliedReportingOverflow(by: scale)
        return overflow ? nil : now - age
    }
}
