import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the inspector on the terminal: the event loop between keys, the state and the screen.
public enum InspectorApp {
    /// Whether stdin and stdout are a terminal (the inspector needs one).
    public static var hasTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Shows `document` until the user quits; returns the signal number if a signal ended it.
    /// The terminal is restored however this returns.
    @discardableResult
    public static func run(_ document: InspectDocument, follow: Bool = false) throws -> Int32? {
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let term = try CursesTerminal(colors: !noColor)
        defer { term.restore(); document.stop() }
        document.startIndexing()
        var state = InspectorState()
        state.stickToEnd = follow
        let keymap = Keymap()
        var dirty = true
        var seen = Progress(document)
        while !state.quit {
            if CursesTerminal.signalled != 0 { return CursesTerminal.signalled }
            let (w, h) = term.size()
            let now = Progress(document)
            if now != seen { seen = now; dirty = true }
            if state.tick(DocumentContext(document, nowNs: monotonicNs())).contains(.redraw) { dirty = true }
            if dirty {
                term.draw(ExchangeScreen.render(&state, document, width: w, height: h))
                dirty = false
            }
            let timeout = state.playing ? 15 : (seen.complete && !follow ? 500 : 100)
            guard let key = term.readKey(timeoutMs: timeout) else { continue }
            if key == .resize { term.invalidate() }
            let r = keymap.handle(key, &state, DocumentContext(document, nowNs: monotonicNs()))
            if r.contains(.quit) { break }
            if !r.isEmpty { dirty = true }
        }
        return nil
    }

    static func monotonicNs() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// What changes on screen as the document grows.
    struct Progress: Equatable {
        var events: Int, chunks: Int, complete: Bool, findings: InspectDocument.FindingsState
        init(_ d: InspectDocument) { events = d.eventCount; chunks = d.chunkCount; complete = d.isComplete; findings = d.findingsStatus }
    }
}
