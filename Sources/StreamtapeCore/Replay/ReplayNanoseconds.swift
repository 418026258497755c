/// Deadline arithmetic that clamps instead of trapping: recorded offsets come from untrusted files and
/// seconds from the command line, so no sum, product or conversion of them may overflow.
public enum ReplayNanoseconds {
    /// `seconds` in ns, or nil when it is not a finite number from 0 to `limit` seconds.
    public static func from(seconds: Double, limit: Double) -> UInt64? {
        guard seconds.isFinite, seconds >= 0, seconds <= limit, limit < 1.8e10 else { return nil }
        return UInt64((seconds * 1e9).rounded())
    }

    /// `a + b`, or `UInt64.max` when that does not fit.
    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// `ns / speed` rounded, or `UInt64.max` when that does not fit (a tiny speed, a huge offset).
    static func scale(_ ns: UInt64, by speed: Double) -> UInt64 {
        let scaled = (Double(ns) / speed).rounded()
        return scaled.isFinite && scaled < 18_446_744_073_709_549_568 ? UInt64(max(0, scaled)) : .max
    }
}
