import Foundation
import StreamtapeCore

/// The plain `show` output: a header, then one line per event (time, gap, event, size, preview).
enum Timeline {
    /// Prints the timeline of an analysed exchange.
    static func print(_ e: Exchange, _ a: Analysis) {
        var out = LineBytes()
        let req = e.request.method.isEmpty ? "(raw body)" : "\(e.request.method) \(e.request.target)"
        let status = e.response.map { "\($0.status)" } ?? "-"
        let state = e.end?.state.rawValue ?? EndState.inProgress.rawValue
        out.line("\(e.id.map { "#\($0) " } ?? "")\(req)  status \(status)  \(state)  \(a.dialect.rawValue)  "
                 + "\(e.chunks.count) chunks  \(a.events.count) events  \(e.chunks.reduce(0) { $0 + $1.bytes.count }) bytes"
                 + "  \(counted(a.count(.error), "error"))  \(counted(a.count(.warning), "warning"))")
        if let err = e.end?.error { out.line("end error: \(err)") }
        if e.timingUnknown { out.line("timing unknown: the source did not record chunk times (replay serves it instantly)") }
        out.line(pad("#", 6) + pad("time", 11) + pad("gap", 11) + pad("event", 28) + pad("size", 7) + "preview")
        var previous: UInt64 = 0
        for (ev, t) in zip(a.events, a.eventTimesNs) {
            let gap = t >= previous ? t - previous : 0
            previous = t
            out.asciiCell(width: 6) { decimal(UInt64(ev.index), into: &$0) }
            out.asciiCell(width: 11) { secs(t, into: &$0) }
            out.asciiCell(width: 11) { $0.append(UInt8(ascii: "+")); secs(gap, into: &$0) }
            out.cell(ev.type, limit: 27, width: 28)
            out.asciiCell(width: 7) { decimal(UInt64(ev.length), into: &$0) }
            out.cell(ev.data, limit: 70, lineFeeds: true)
            out.endLine()
        }
        if a.events.isEmpty, !e.chunks.isEmpty {
            out.line("no events; the body (\(e.chunks.reduce(0) { $0 + $1.bytes.count }) bytes): \(HTTPView.bodySummary(e))")
        }
        for f in a.findings {
            out.line("\(f.severity.rawValue) \(f.code) at byte \(f.offset)\(f.event.map { " (event \($0))" } ?? ""): \(f.message)")
        }
        out.flush()
    }

    /// `1 error`, `2 errors`.
    static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `1.234s`: milliseconds rounded to nearest in integers, which is what `%.3f` of the seconds gives
    /// except at an exact half millisecond (where the binary value decides) and past 10^15 ns; those
    /// go through `%.3f` itself.
    static func secs(_ ns: UInt64) -> String {
        var out: [UInt8] = []
        secs(ns, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `secs`, appended as bytes.
    static func secs(_ ns: UInt64, into out: inout [UInt8]) {
        guard ns % 1_000_000 != 500_000, ns < 1_000_000_000_000_000 else {
            out += String(format: "%.3fs", Double(ns) / 1e9).utf8
            return
        }
        let ms = (ns + 500_000) / 1_000_000
        decimal(ms / 1000, into: &out)
        let frac = ms % 1000
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(frac / 100))
        out.append(UInt8(ascii: "0") + UInt8(frac / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(frac % 10))
        out.append(UInt8(ascii: "s"))
    }

    /// `n` in decimal digits, appended as bytes (what `"\(n)"` spells).
    static func decimal(_ n: UInt64, into out: inout [UInt8]) {
        var unit: UInt64 = 1
        while n / unit >= 10 { unit *= 10 }
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(n / unit % 10))
            unit /= 10
        } while unit > 0
    }

    /// `s` padded with spaces to `n` columns (at least one space after it).
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

    /// `s` cut to `n` characters, with `…` when cut.
    static func clip(_ s: String, _ n: Int) -> String {
        // Walks at most n characters, not the whole string (an event's data may be megabytes).
        guard let cut = s.index(s.startIndex, offsetBy: n - 1, limitedBy: s.endIndex), cut != s.endIndex,
              s.index(after: cut) != s.endIndex else { return s }
        return String(s[..<cut]) + "…"
    }

    /// Every LF byte shown as `⏎` (an LF inside CRLF too).
    static func oneLine(_ s: String) -> String {
        guard s.utf8.contains(0x0A) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 { if b == 0x0A { out += "⏎".utf8 } else { out.append(b) } }
        return String(decoding: out, as: UTF8.self)
    }
}
