/// Number formats shared by the views.
public enum Format {
    /// A duration in ns as `412µs`, `12ms`, `1.234s`, `2m03s`.
    public static func duration(_ ns: UInt64) -> String {
        if ns < 1_000_000 { return "\(ns / 1000)µs" }
        if ns < 1_000_000_000 { return "\(ns / 1_000_000)ms" }
        if ns < 60_000_000_000 {
            let ms = ns / 1_000_000
            return "\(ms / 1000).\(pad(Int(ms % 1000), 3))s"
        }
        let s = ns / 1_000_000_000
        return "\(s / 60)m\(pad(Int(s % 60), 2))s"
    }

    /// A time offset as `12.345s` (fixed width for the timeline).
    public static func offset(_ ns: UInt64) -> String {
        let ms = ns / 1_000_000
        return "\(ms / 1000).\(pad(Int(ms % 1000), 3))s"
    }

    /// A byte count as `125B`, `12.3kB`, `4.1MB`.
    public static func bytes(_ n: Int) -> String {
        if n < 1000 { return "\(n)B" }
        if n < 1_000_000 { return "\(n / 1000).\((n % 1000) / 100)kB" }
        return "\(n / 1_000_000).\((n % 1_000_000) / 100_000)MB"
    }

    /// Left-pads with zeros.
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// A byte offset in hex, at least four digits: `0x001f`.
    static func hexOffset(_ v: Int) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Right-aligns in `width` columns.
    static func right(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(s))) + s
    }

    /// Left-aligns in `width` columns, cutting with `…`.
    static func left(_ s: String, _ width: Int) -> String {
        let t = DisplayWidth.truncate(s, to: width)
        return t + String(repeating: " ", count: max(0, width - DisplayWidth.of(t)))
    }

    /// One line of data for previews: control characters shown as `⏎`/`·`.
    static func oneLine(_ s: Substring, max: Int) -> String {
        var out = ""
        var cols = 0
        for ch in s {
            let shown: Character = ch == "\n" ? "⏎" : (ch == "\r" || ch == "\t" ? "·" : ch)
            cols += DisplayWidth.of(shown)
            if cols > max { break }
            out.append(shown)
        }
        return out
    }
}
