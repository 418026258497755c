import Foundation

/// A value behind a lock, for the little state shared across event loops and the curl thread.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    /// Wraps a value.
    init(_ value: Value) { self.value = value }
    /// Runs `body` with the value locked.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
