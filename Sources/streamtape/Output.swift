import Foundation

/// Standard output with one buffer, flushed at exit: `show` on a big stream prints many lines.
enum Out {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    /// Appends a line.
    static func line(_ s: String) { buffer.append(contentsOf: s.utf8); buffer.append(0x0A); if buffer.count > 1 << 16 { flush() } }
    /// Appends raw bytes.
    static func bytes(_ b: [UInt8]) { flush(); FileHandle.standardOutput.write(Data(b)) }
    /// Writes what is buffered.
    static func flush() { if !buffer.isEmpty { FileHandle.standardOutput.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) } }
}

/// Writes a line to standard error.
func warn(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
