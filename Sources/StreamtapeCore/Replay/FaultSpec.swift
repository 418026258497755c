/// A fault `streamtape replay --fault SPEC` injects into the replayed stream, and what a correct
/// client does when it meets it. Events are numbered from 0, as `show`, `check` and the inspector
/// number them (the events Core's `SSEParser` dispatches; NDJSON: lines). `@N` means before event #N:
/// the N events #0 to #N-1 are delivered, then the fault; `@0` is before the first event.
///
/// - `cut@N`: the connection is closed before event #N, without the end of the HTTP body (no
///   terminating chunk; short of Content-Length). A correct client raises a connection or
///   incomplete-body error and never treats the partial text as a finished answer.
/// - `stall@N=SECONDS`: before event #N the server sends nothing for SECONDS (wall-clock, not scaled by
///   `--speed`), then carries on on the recorded schedule shifted by the stall. A correct client with a
///   read timeout shorter than the stall raises a timeout; otherwise it waits and rebuilds the same result.
/// - `rechunk=K` / `rechunk=random:SEED`: the same bytes re-split into K-byte writes (or seeded random
///   sizes of 1 to 16 bytes), cutting inside CRLF pairs, UTF-8 sequences and JSON; each piece is sent
///   when its last byte was sent in the recording, so the pace is kept. A correct client rebuilds
///   exactly the same events and text.
/// - `error@N=DIALECT`: before event #N the provider's own mid-stream error, then the stream ends the
///   way that provider ends it (no `[DONE]`, no `message_stop`, ...). A correct client surfaces it
///   as an error (the SDK's API error type), not as a normal end.
/// - `status=CODE[:DIALECT]`: instead of the stream, an HTTP CODE response with the provider's JSON
///   error body. A correct client raises the SDK's status error (e.g. RateLimitError for 429).
/// - `drop-terminator`: the stream's end marker (`data: [DONE]`, `message_stop`,
///   `response.completed`/`incomplete`/`failed`, Ollama `"done":true`, else the last event, e.g.
///   Gemini's `finishReason` chunk) is left out and the body ends cleanly. A correct client reports an
///   incomplete response instead of silently accepting the text.
public enum FaultSpec: Hashable, Sendable, CustomStringConvertible {
    /// Close the connection before event #N.
    case cut(before: Int)
    /// Pause `seconds` before event #N.
    case stall(before: Int, seconds: Double)
    /// Re-split the bytes into pieces of `size` bytes.
    case rechunk(size: Int)
    /// Re-split the bytes into seeded random sizes.
    case rechunkRandom(seed: UInt64)
    /// Send the dialect's mid-stream error before event #N and end.
    case error(before: Int, dialect: Dialect)
    /// Answer an HTTP error instead of the stream; the dialect is guessed from the exchange when nil.
    case status(code: Int, dialect: Dialect?)
    /// Leave out the end marker.
    case dropTerminator

    /// Parses `cut@3`, `stall@2=1.5`, `rechunk=1`, `rechunk=random:42`, `error@5=anthropic`,
    /// `status=429`, `status=529:anthropic`, `drop-terminator`.
    public init(parsing text: String) throws(FaultSpecError) {
        let bad = FaultSpecError(spec: text, reason: "expected one of cut@N, stall@N=SECONDS, rechunk=K, rechunk=random:SEED, error@N=DIALECT, status=CODE[:DIALECT], drop-terminator")
        func event(_ s: Substring) throws(FaultSpecError) -> Int {
            guard let n = Int(s), n >= 0 else {
                throw FaultSpecError(spec: text, reason: "N must be an event number (0 or more; @N is before event #N), got '\(s)'")
            }
            return n
        }
        func dialect(_ s: Substring) throws(FaultSpecError) -> Dialect {
            guard let d = Dialect(rawValue: String(s)), Dialect.faultable.contains(d) else {
                throw FaultSpecError(spec: text, reason: "unknown dialect '\(s)' (one of \(Dialect.faultable.map(\.rawValue).joined(separator: ", ")))")
            }
            return d
        }
        if text == "drop-terminator" { self = .dropTerminator; return }
        if text.hasPrefix("cut@") { self = .cut(before: try event(text.dropFirst(4))); return }
        if text.hasPrefix("stall@") {
            let parts = text.dropFirst(6).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw bad }
            guard let s = Double(parts[1]), s.isFinite, s >= 0, s <= 3600 else {
                throw FaultSpecError(spec: text, reason: "SECONDS must be a number from 0 to 3600, got '\(parts[1])'")
            }
            self = .stall(before: try event(parts[0]), seconds: s); return
        }
        if text.hasPrefix("rechunk=random:") {
            guard let seed = UInt64(text.dropFirst(15)) else { throw FaultSpecError(spec: text, reason: "SEED must be a whole number") }
            self = .rechunkRandom(seed: seed); return
        }
        if text.hasPrefix("rechunk=") {
            guard let k = Int(text.dropFirst(8)), k >= 1 else { throw FaultSpecError(spec: text, reason: "K must be a byte count of 1 or more") }
            self = .rechunk(size: k); return
        }
        if text.hasPrefix("error@") {
            let parts = text.dropFirst(6).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw FaultSpecError(spec: text, reason: "expected error@N=DIALECT") }
            self = .error(before: try event(parts[0]), dialect: try dialect(parts[1])); return
        }
        if text.hasPrefix("status=") {
            let parts = text.dropFirst(7).split(separator: ":", maxSplits: 1)
            guard let first = parts.first, let code = Int(first), (400...599).contains(code) else {
                throw FaultSpecError(spec: text, reason: "CODE must be an HTTP error status from 400 to 599")
            }
            self = .status(code: code, dialect: parts.count == 2 ? try dialect(parts[1]) : nil); return
        }
        throw bad
    }

    /// The spec as written on the command line.
    public var description: String {
        switch self {
        case .cut(let n): return "cut@\(n)"
        case .stall(let n, let s): return "stall@\(n)=\(s)"
        case .rechunk(let k): return "rechunk=\(k)"
        case .rechunkRandom(let seed): return "rechunk=random:\(seed)"
        case .error(let n, let d): return "error@\(n)=\(d.rawValue)"
        case .status(let c, let d): return "status=\(c)" + (d.map { ":\($0.rawValue)" } ?? "")
        case .dropTerminator: return "drop-terminator"
        }
    }

    /// Why an `@N` does not fit a stream of `events` events.
    public static func outOfRange(events: Int) -> String {
        let which = events == 0 ? "no events" : "\(events) event(s), #0 to #\(events - 1)"
        return "the stream has \(which); @N is before event #N, so N goes from 0 to \(events)"
    }

    /// The event number the fault refers to, when it has one.
    public var eventNumber: Int? {
        switch self {
        case .cut(let n), .stall(let n, _), .error(let n, _): return n
        default: return nil
        }
    }
}

/// A fault spec that does not parse or does not fit the stream.
public struct FaultSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spec as given.
    public var spec: String
    /// What is wrong, in one sentence.
    public var reason: String
    /// Creates an error.
    public init(spec: String, reason: String) { self.spec = spec; self.reason = reason }
    /// `bad fault 'SPEC': REASON`.
    public var description: String { "bad fault '\(spec)': \(reason)" }
}
