import NIOCore

/// The monotonic clock chunk offsets are measured on (CLOCK_MONOTONIC via NIODeadline).
public enum MonotonicClock {
    /// Now, in ns since an arbitrary fixed point.
    public static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
