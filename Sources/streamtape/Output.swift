import Foundation
import StreamtapeCore

/// Standard output with one buffer, flushed at exit: `show` on a big stream prints many lines.
///
/// Every line is made terminal-safe: bytes from a capture (an event's data, a request target, an
/// upstream's error text) may hold ESC or BEL, which would retitle the window or clear the screen.
enum Out {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    /// Appends a line, control characters (other than newline and tab) escaped as `\u001b`.
    static func line(_ s: String) {
        buffer.append(contentsOf: TerminalSafe.escaped(s).utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }
    /// Appends raw bytes, as they are (`export` of a body: the user asked for the bytes).
    static func bytes(_ b: [UInt8]) { flush(); FileHandle.standardOutput.write(Data(b)) }
    /// Writes what is buffered.
    static func flush() { if !buffer.isEmpty { FileHandle.standardOutput.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) } }
}

/// Writes a line to standard error, control characters escaped as `Out.line` does.
func warn(_ s: String) { FileHandle.standardError.write(Data((TerminalSafe.escaped(s) + "\n").utf8)) }
