/// The one-letter escapes of a JSON string (RFC 8259 section 7), shared by the JSON readers.
public enum JSONEscape {
    /// The byte `\X` stands for (`n` is LF, `"` itself); nil for `u`, which `\uXXXX` spells out, and for
    /// letters JSON has no escape for.
    @inline(__always)
    public static func byte(for letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return letter
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return nil
        }
    }
}
