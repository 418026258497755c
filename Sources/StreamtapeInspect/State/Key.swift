/// A key press (or mouse wheel step) as the inspector understands it, independent of curses.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case char(Character)
    /// Cursor and paging keys.
    case up, down, left, right, pageUp, pageDown, home, end
    /// Editing and focus keys.
    case tab, backTab, enter, escape, backspace
    /// Ctrl-C, a terminal resize, mouse wheel steps.
    case ctrlC, resize, wheelUp, wheelDown

    /// How the key is written in the help screen.
    public var label: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .ctrlC: return "C-c"
        case .resize: return "resize"
        case .wheelUp: return "wheel↑"
        case .wheelDown: return "wheel↓"
        }
    }
}
