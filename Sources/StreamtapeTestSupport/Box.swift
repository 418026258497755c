import NIOConcurrencyHelpers

/// A locked value for test bookkeeping shared between a test and the threads it drives.
public final class Box<T: Sendable>: Sendable {
    private let stored: NIOLockedValueBox<T>
    /// Wraps a value.
    public init(_ value: T) { stored = NIOLockedValueBox(value) }
    /// The value now.
    public var value: T { stored.withLockedValue { $0 } }
    /// Changes the value under the lock.
    @discardableResult
    public func update<R>(_ body: (inout T) -> R) -> R { stored.withLockedValue(body) }
}
