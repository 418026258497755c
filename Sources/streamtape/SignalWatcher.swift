import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into a callback instead of the default exit, so the recorder can drain.
/// (Unchecked: the sources are only cancelled after creation, which Dispatch allows from any thread.)
public final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    /// Ignores the default action of `signals` and calls `handler` on a background queue instead.
    /// Returns once the sources are registered: a signal ignored before that would be lost, so a
    /// script that signals right after the startup line would otherwise race the registration.
    public init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let registered = DispatchGroup()
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            return source
        }
        _ = registered.wait(timeout: .now() + 2)
    }

    /// `SIGINT` or `SIGTERM` (else `signal N`), for "stopping (signal ...)" lines.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(number)"
        }
    }

    /// Stops watching.
    public func cancel() { sources.forEach { $0.cancel() } }
}
