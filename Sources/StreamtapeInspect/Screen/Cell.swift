/// A colour role; the terminal maps roles to colour pairs, or to nothing under NO_COLOR.
public enum ColorRole: UInt8, Sendable, CaseIterable {
    /// The roles, each a colour pair.
    case normal, header, selected, error, warning, info, dim, accent, cut, marker, ok
}

/// Text attributes of a cell.
public struct CellStyle: Hashable, Sendable {
    /// The colour role.
    public var color: ColorRole
    /// Bold text.
    public var bold: Bool
    /// Reverse video (selection bars; survives NO_COLOR).
    public var reverse: Bool
    /// Underlined text.
    public var underline: Bool
    /// Creates a style.
    public init(_ color: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.color = color; self.bold = bold; self.reverse = reverse; self.underline = underline
    }
    /// Plain text.
    public static let plain = CellStyle()
}

/// One screen cell: a character and its style. A wide character fills its cell and marks the next
/// as a continuation, so the grid keeps one entry per terminal column.
public struct Cell: Hashable, Sendable {
    /// The character drawn here; nil for the right half of a wide character.
    public var char: Character?
    /// The style.
    public var style: CellStyle
    /// A blank cell.
    public static let blank = Cell(char: " ", style: .plain)
}
