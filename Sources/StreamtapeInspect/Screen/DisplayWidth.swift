/// Terminal column widths of characters, as wcwidth gives them: 2 for East Asian wide and emoji,
/// 0 for combining marks and zero-width formats. Pure Swift (Glibc hides wcwidth behind feature macros).
public enum DisplayWidth {
    /// Columns a Unicode scalar takes; control characters count as 1 (they are drawn replaced).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        if scalar.value < 0x20 || scalar.value == 0x7F { return 1 }
        if scalar.value < 0x7F { return 1 }
        let v = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return v == 0x00AD ? 1 : 0
        default: break
        }
        if v == 0x200B { return 0 }
        for r in wide where r.contains(v) { return 2 }
        if scalar.properties.isEmojiPresentation && v >= 0x1F000 { return 2 }
        return 1
    }

    // East Asian Wide and Fullwidth blocks (Unicode EastAsianWidth W/F, coarsened to blocks).
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0,
        0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x18AFF, 0x1B000...0x1B2FF, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    /// Columns a character (grapheme) takes: its widest scalar.
    public static func of(_ ch: Character) -> Int {
        var width = 0
        for s in ch.unicodeScalars { width = max(width, of(s)) }
        return max(width, ch.unicodeScalars.first.map { of($0) } ?? 1)
    }

    /// Columns a string takes.
    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// The longest prefix of `s` that fits in `columns`, with `…` when cut.
    public static func truncate(_ s: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(s) <= columns { return s }
        var out = ""
        var used = 0
        for ch in s {
            let w = of(ch)
            if used + w > columns - 1 { break }
            out.append(ch); used += w
        }
        return out + "…"
    }
}
