import Foundation
import StreamtapeCore

/// The plain `show` output: a header, then one line per event (time, gap, event, size, preview).
enum Timeline {
    /// Prints the timeline of an analysed exchange.
    static func print(_ e: Exchange, _ a: Analysis) {
        let req = e.request.method.isEmpty ? "(raw body)" : "\(e.request.method) \(e.request.target)"
        let status = e.response.map { "\($0.status)" } ?? "-"
        let state = e.end?.state.rawValue ?? EndState.inProgress.rawValue
        Out.line("\(e.id.map { "#\($0) " } ?? "")\(req)  status \(status)  \(state)  \(a.dialect.rawValue)  "
                 + "\(e.chunks.count) chunks  \(a.events.count) events  \(e.chunks.reduce(0) { $0 + $1.bytes.count }) bytes"
                 + "  \(counted(a.count(.error), "error"))  \(counted(a.count(.warning), "warning"))")
        if let err = e.end?.error { Out.line("end error: \(err)") }
        if e.timingUnknown { Out.line("timing unknown: the source did not record chunk times (replay serves it instantly)") }
        Out.line(pad("#", 6) + pad("time", 11) + pad("gap", 11) + pad("event", 28) + pad("size", 7) + "preview")
        var previous: UInt64 = 0
        for (ev, t) in zip(a.events, a.eventTimesNs) {
            let gap = t >= previous ? t - previous : 0
            previous = t
            Out.line(pad("\(ev.index)", 6) + pad(secs(t), 11) + pad("+" + secs(gap), 11) + pad(clip(ev.type, 27), 28)
                     + pad("\(ev.length)", 7) + clip(oneLine(ev.data), 70))
        }
        if a.events.isEmpty, !e.chunks.isEmpty {
            Out.line("no events; the body (\(e.chunks.reduce(0) { $0 + $1.bytes.count }) bytes): \(HTTPView.bodySummary(e))")
        }
        for f in a.findings {
            Out.line("\(f.severity.rawValue) \(f.code) at byte \(f.offset)\(f.event.map { " (event \($0))" } ?? ""): \(f.message)")
        }
    }

    /// `1 error`, `2 errors`.
    static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `1.234s`: milliseconds rounded to nearest in integers, which is what `%.3f` of the seconds gives
    /// except at an exact half millisecond (where the binary value decides) and past 10^15 ns; those
    /// go through `%.3f` itself.
    static func secs(_ ns: UInt64) -> String {
        guard ns % 1_000_000 != 500_000, ns < 1_000_000_000_000_000 else { return String(format: "%.3fs", Double(ns) / 1e9) }
        let ms = (ns + 500_000) / 1_000_000
        let frac = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac + "s"
    }

    /// `s` padded with spaces to `n` columns (at least one space after it).
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

    /// `s` cut to `n` characters, with `…` when cut.
    static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    /// Every LF byte shown as `⏎` (an LF inside CRLF too).
    private static func oneLine(_ s: String) -> String {
        guard s.utf8.contains(0x0A) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 { if b == 0x0A { out += "⏎".utf8 } else { out.append(b) } }
        return String(decoding: out, as: UTF8.self)
    }
}
