import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the inspector on the terminal: the event loops between keys, the states and the screen.
public enum InspectorApp {
    /// Whether stdin and stdout are a terminal (the inspector needs one).
    public static var hasTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Shows one exchange until the user quits; returns the signal number if a signal ended it.
    /// The terminal is restored however this returns.
    @discardableResult
    public static func run(_ document: InspectDocument, follow: Bool = false) throws -> Int32? {
        let term = try CursesTerminal(colors: colorsWanted)
        defer { term.restore() }
        return exchangeLoop(term, document, follow: follow)
    }

    /// Shows the exchange list; Enter opens an exchange, q goes back to the list, q again quits.
    /// With `follow`, the list reloads every second and opened exchanges follow their recording.
    @discardableResult
    public static func run(catalog: any ExchangeCatalog, title: String, follow: Bool = false) throws -> Int32? {
        let term = try CursesTerminal(colors: colorsWanted)
        defer { term.restore() }
        var state = ListState(rows: (try? catalog.rows()) ?? [])
        state.descending = true
        var dirty = true
        var lastLoad = monotonicNs()
        while !state.quit {
            if CursesTerminal.signalled != 0 { return CursesTerminal.signalled }
            if follow, monotonicNs() - lastLoad > 1_000_000_000 {
                lastLoad = monotonicNs()
                if let rows = try? catalog.rows(), rows != state.rows { state.rows = rows; dirty = true }
            }
            if let id = state.open {
                state.open = nil
                do {
                    let doc = try catalog.open(id, follow: follow)
                    if let signal = exchangeLoop(term, doc, follow: follow) { return signal }
                    if let rows = try? catalog.rows() { state.rows = rows }
                } catch {
                    state.message = "cannot open #\(id): \(error)"
                }
                term.invalidate()
                dirty = true
            }
            let (w, h) = term.size()
            if dirty { term.draw(ListView.render(&state, title: title, width: w, height: h)); dirty = false }
            guard let key = term.readKey(timeoutMs: follow ? 250 : 1000) else { continue }
            if key == .resize { term.invalidate() }
            let r = ListActions.handle(key, &state)
            if r.contains(.quit) { break }
            if !r.isEmpty { dirty = true }
        }
        return nil
    }

    /// One exchange until q (returns nil) or a signal (returns it).
    static func exchangeLoop(_ term: CursesTerminal, _ document: InspectDocument, follow: Bool) -> Int32? {
        defer { document.stop() }
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

    /// Colours unless NO_COLOR is set and not empty (https://no-color.org).
    static var colorsWanted: Bool { (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty }

    /// Monotonic now in ns (the play clock).
    static func monotonicNs() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// What changes on screen as the document grows.
    struct Progress: Equatable {
        var events: Int, chunks: Int, complete: Bool, findings: InspectDocument.FindingsState, progress: Int
        init(_ d: InspectDocument) {
            events = d.eventCount; chunks = d.chunkCount; complete = d.isComplete; findings = d.findingsStatus
            progress = Int(d.progress * 100)
        }
    }
}
