import Foundation

/// Polls `condition` every 2 ms until it holds (true) or `seconds` pass (false): for live tests that
/// wait on other threads without sleeping a fixed time.
public func waitUntil(seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(nanoseconds: 2_000_000)
    }
    return true
}
