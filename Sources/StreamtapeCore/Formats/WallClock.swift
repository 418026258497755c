import Foundation

/// Wall-clock timestamps as ISO 8601 UTC text with milliseconds (`2026-11-26T07:00:00.123Z`).
public enum WallClock {
    /// Formats milliseconds since 1970.
    public static func iso(ms: Int64) -> String {
        var secs = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
        let milli = Int((ms % 1000 + 1000) % 1000)
        var t = tm()
        gmtime_r(&secs, &t)
        func pad(_ v: Int32, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(t.tm_year + 1900, 4))-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))T\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)).\(pad(Int32(milli), 3))Z"
    }

    /// The milliseconds `iso(ms:)` writes with a four-digit year: 0001-01-01 up to the end of 9999.
    public static let writableMs: ClosedRange<Int64> = -62_135_596_800_000 ... 253_402_300_799_999
}
