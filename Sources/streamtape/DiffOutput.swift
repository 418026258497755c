import StreamtapeCore

/// How `diff` prints a comparison: a report for people, or one JSON object.
enum DiffOutput {
    /// The report: each part with its differences (or "same"), the changed events, timing side by side.
    static func print(_ d: ExchangeDiff, a: String, b: String) {
        Out.line("A: \(a)")
        Out.line("B: \(b)")
        part("request", d.request)
        part("response", d.response)
        let changed = d.changedEvents
        Out.line("events: " + (changed.isEmpty ? "same (\(d.events.count))" : "\(d.events.count - changed.count) same, " + counts(changed)))
        for e in changed { Out.line("  " + eventLine(e)) }
        part("answer", d.answer)
        part("delays", d.delays.map(delayLine), none: "none")
        part("findings", d.findings)
        part(d.chunksCount ? "chunks" : "chunks (not counted; --chunks counts them)", d.chunks)
        let rows = timingRows(d.measures.a, d.measures.b)
        let w = max(12, rows.map { max($0.1.count, $0.2.count) + 2 }.max() ?? 0)
        Out.line("timing:" + lead("A", 11 + w) + lead("B", w))
        for (label, va, vb) in rows { Out.line("  " + Timeline.pad(label, 16) + lead(va, w) + lead(vb, w)) }
        Out.line(d.equivalent ? "equivalent" : "different")
    }

    private static func part(_ name: String, _ lines: [String], none: String = "same") {
        if lines.isEmpty { Out.line("\(name): \(none)"); return }
        Out.line("\(name):")
        for l in lines { Out.line("  \(l)") }
    }

    private static func counts(_ steps: [ExchangeDiff.EventStep]) -> String {
        var c = (changed: 0, added: 0, removed: 0)
        for s in steps {
            switch s.step {
            case .changed: c.changed += 1
            case .added: c.added += 1
            case .removed: c.removed += 1
            case .same: break
            }
        }
        return "\(c.changed) changed, \(c.removed) removed, \(c.added) added"
    }

    /// `changed A event 4 (byte 812) → B event 4 (byte 812)` and the like.
    static func eventLine(_ e: ExchangeDiff.EventStep) -> String {
        switch e.step {
        case let .changed(i, j): return "changed: A event \(i) (byte \(e.aOffset ?? 0)) → B event \(j) (byte \(e.bOffset ?? 0))"
        case let .removed(i): return "removed: A event \(i) (byte \(e.aOffset ?? 0)) is not in B"
        case let .added(j): return "added: B event \(j) (byte \(e.bOffset ?? 0)) is not in A"
        case let .same(i, j): return "same: A event \(i), B event \(j)"
        }
    }

    static func delayLine(_ d: ExchangeDiff.Delay) -> String {
        let secs = Timeline.secs(d.shiftNs.magnitude)
        return "B event \(d.b) (A event \(d.a)) arrives \(secs) \(d.shiftNs > 0 ? "later" : "earlier") than in A, against the event before it"
    }

    /// The measures compared: label, A, B.
    static func timingRows(_ a: Measures, _ b: Measures) -> [(String, String, String)] {
        let t = { (v: UInt64?) in v.map(Timeline.secs) ?? "-" }
        let n = { (v: Int?) in v.map(String.init) ?? "-" }
        return [("model", a.model ?? "-", b.model ?? "-"), ("ttfb", t(a.ttfbNs), t(b.ttfbNs)), ("ttfc", t(a.ttfcNs), t(b.ttfcNs)),
                ("duration", t(a.durationNs), t(b.durationNs)), ("content events", n(a.contentEvents), n(b.contentEvents)),
                ("tokens out", n(a.tokensOut), n(b.tokensOut)), ("gap p50", t(a.gapP50Ns), t(b.gapP50Ns)),
                ("gap p99", t(a.gapP99Ns), t(b.gapP99Ns)), ("stall max", t(a.stallMaxNs), t(b.stallMaxNs))]
    }

    private static func lead(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

    /// The JSON object.
    static func json(_ d: ExchangeDiff) -> String {
        var j = JSONText()
        j.open()
        j.bool("equivalent", d.equivalent)
        strings(&j, "request", d.request)
        strings(&j, "response", d.response)
        j.int("events_compared", d.events.count)
        j.openArray("events")
        for e in d.changedEvents {
            j.open()
            switch e.step {
            case let .changed(i, k): j.string("kind", "changed"); j.int("a", i); j.int("b", k)
            case let .removed(i): j.string("kind", "removed"); j.int("a", i); j.raw("b", "null")
            case let .added(k): j.string("kind", "added"); j.raw("a", "null"); j.int("b", k)
            case .same: break
            }
            j.int("a_offset", e.aOffset); j.int("b_offset", e.bOffset)
            j.close()
        }
        j.closeArray()
        strings(&j, "answer", d.answer)
        j.openArray("delays")
        for x in d.delays { j.open(); j.int("a", x.a); j.int("b", x.b); j.raw("shift", seconds(x.shiftNs)); j.close() }
        j.closeArray()
        strings(&j, "findings", d.findings)
        strings(&j, "chunks", d.chunks)
        j.bool("chunks_counted", d.chunksCount)
        j.open("timing")
        for (side, m) in [("a", d.measures.a), ("b", d.measures.b)] {
            j.open(side)
            j.raw("ttfb", m.ttfbNs.map(Seconds.format) ?? "null")
            j.raw("duration", m.durationNs.map(Seconds.format) ?? "null")
            ListCommand.measureFields(&j, m)
            j.close()
        }
        j.close()
        j.close()
        return j.text
    }

    private static func strings(_ j: inout JSONText, _ key: String, _ lines: [String]) {
        j.openArray(key); for l in lines { j.string(nil, l) }; j.closeArray()
    }

    private static func seconds(_ ns: Int64) -> String { (ns < 0 ? "-" : "") + Seconds.format(ns: ns.magnitude) }
}
