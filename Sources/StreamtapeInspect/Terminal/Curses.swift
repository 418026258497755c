internal import CNcursesw
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by the signal handlers; the loop polls it and leaves through its normal, restoring path.
nonisolated(unsafe) private var pendingSignal: Int32 = 0
/// Whether curses is active, for the crash handler.
nonisolated(unsafe) private var cursesActive = false

/// The only place that calls ncursesw: opens the terminal, draws a `ScreenBuffer`, reads keys, and
/// puts the terminal back on every way out: `restore()` (called by the loop's `defer`), SIGINT,
/// SIGTERM and SIGHUP (flagged, then the loop returns normally), and crashes (SIGSEGV, SIGILL from a
/// Swift trap, SIGABRT, …: `endwin` then the default action).
final class CursesTerminal {
    private let colors: Bool
    private var restored = false

    /// A signal that asked the program to stop, if any.
    static var signalled: Int32 { pendingSignal }

    /// Opens the terminal. `colors` false honours NO_COLOR (attributes only).
    init(colors: Bool) throws {
        setlocale(LC_ALL, "")
        guard cncursesw_newterm() != nil else {
            throw TerminalError.cannotOpen(term: ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        cursesActive = true
        Self.installSignalHandlers()
        raw()            // Ctrl-C arrives as a key; kill -INT still goes through the handler
        noecho()
        nonl()
        keypad(cncursesw_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        cncursesw_enable_wheel()
        self.colors = colors && has_colors()
        if self.colors {
            start_color()
            use_default_colors()
            let fg: [ColorRole: Int16] = [.header: Int16(COLOR_CYAN), .error: Int16(COLOR_RED), .warning: Int16(COLOR_YELLOW),
                                          .info: Int16(COLOR_BLUE), .accent: Int16(COLOR_CYAN), .cut: Int16(COLOR_MAGENTA),
                                          .marker: Int16(COLOR_GREEN), .ok: Int16(COLOR_GREEN)]
            for role in ColorRole.allCases where role != .normal {
                init_pair(Int16(role.rawValue), fg[role] ?? -1, -1)
            }
        }
    }

    deinit { restore() }

    /// Puts the terminal back (idempotent).
    func restore() {
        guard !restored else { return }
        restored = true
        cursesActive = false
        endwin()
    }

    /// Columns and rows now.
    func size() -> (width: Int, height: Int) {
        var y: Int32 = 0, x: Int32 = 0
        cncursesw_getmaxyx(cncursesw_stdscr(), &y, &x)
        return (Int(x), Int(y))
    }

    /// Copies a buffer to the screen: runs of same-style cells, wide characters once.
    func draw(_ buf: ScreenBuffer) {
        for row in 0..<buf.height {
            var col = 0
            while col < buf.width {
                let style = buf[row, col].style
                var text: [wchar_t] = []
                let start = col
                while col < buf.width, buf[row, col].style == style {
                    if let ch = buf[row, col].char { for s in ch.unicodeScalars { text.append(wchar_t(bitPattern: s.value)) } }
                    col += 1
                }
                text.append(0)
                _ = cncursesw_attrset(attributes(style))
                _ = text.withUnsafeBufferPointer { cncursesw_addwstr(Int32(row), Int32(start), $0.baseAddress) }
            }
        }
        _ = cncursesw_attrset(cncursesw_a_normal())
        wnoutrefresh(cncursesw_stdscr())
        doupdate()
    }

    /// Forces a full repaint on the next draw (after a resize).
    func invalidate() { clearok(cncursesw_stdscr(), true) }

    private func attributes(_ s: CellStyle) -> UInt32 {
        var a = cncursesw_a_normal()
        if s.bold { a |= cncursesw_a_bold() }
        if s.reverse { a |= cncursesw_a_reverse() }
        if s.underline { a |= cncursesw_a_underline() }
        if colors, s.color != .normal { a |= UInt32(bitPattern: cncursesw_color_pair(Int32(s.color.rawValue))) }
        if s.color == .dim { a |= cncursesw_a_dim() }
        if !colors, s.color == .error || s.color == .cut { a |= cncursesw_a_bold() }
        return a
    }

    /// Waits up to `timeoutMs` for a key; nil on timeout or an unknown key.
    func readKey(timeoutMs: Int) -> Key? {
        wtimeout(cncursesw_stdscr(), Int32(timeoutMs))
        var ch: wint_t = 0
        let r = wget_wch(cncursesw_stdscr(), &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES {
            switch Int32(ch) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_NPAGE: return .pageDown
            case KEY_PPAGE: return .pageUp
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case cncursesw_key_resize(): return .resize
            case cncursesw_key_mouse():
                switch cncursesw_wheel() { case -1: return .wheelUp; case 1: return .wheelDown; default: return nil }
            default: return nil
            }
        }
        switch ch {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)), ch >= 32 else { return nil }
            return .char(Character(scalar))
        }
    }

    private static func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { s in
                if pendingSignal != 0, cursesActive { endwin(); _exit(128 + s) }   // a second signal: leave now
                pendingSignal = s
            }
        }
        for sig in [SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGABRT, SIGFPE] {
            signal(sig) { s in
                if cursesActive { endwin() }
                signal(s, SIG_DFL)
                raise(s)
            }
        }
    }
}

/// The terminal could not be opened.
public enum TerminalError: Error, CustomStringConvertible {
    /// newterm failed (no usable TERM).
    case cannotOpen(term: String)
    /// The one-line message.
    public var description: String {
        switch self {
        case .cannotOpen(let term) where term.isEmpty: return "cannot open the terminal: TERM is not set"
        case .cannotOpen(let term): return "cannot open the terminal: ncurses does not know TERM=\(term)"
        }
    }
}
