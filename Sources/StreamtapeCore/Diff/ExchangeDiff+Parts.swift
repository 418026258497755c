/// The part-by-part comparisons behind `ExchangeDiff.compare`.
extension ExchangeDiff {
    /// Method, target, and the body as canonical JSON (else as bytes).
    static func requestLines(_ a: CapturedRequest, _ b: CapturedRequest) -> [String] {
        var out: [String] = []
        if a.method != b.method || a.target != b.target { out.append("request line: A \(a.method) \(a.target), B \(b.method) \(b.target)") }
        if let ja = JSONValue.parse(a.body), let jb = JSONValue.parse(b.body) {
            out += ja.differences(from: jb, limit: 10, labels: .sides).map { "body \($0)" }
        } else if a.body != b.body {
            out.append("body: A \(a.body.count) bytes, B \(b.body.count) bytes, not the same")
        }
        return out
    }

    /// Status, content type, end state.
    static func responseLines(_ a: Exchange, _ b: Exchange) -> [String] {
        var out: [String] = []
        let status = { (e: Exchange) in e.response.map { String($0.status) } ?? "none" }
        if status(a) != status(b) { out.append("status: A \(status(a)), B \(status(b))") }
        let type = { (e: Exchange) in e.response?.headers.value(for: "content-type") ?? "none" }
        if type(a) != type(b) { out.append("content-type: A \(type(a)), B \(type(b))") }
        let end = { (e: Exchange) in e.end?.state.rawValue ?? "recording" }
        if end(a) != end(b) { out.append("end: A \(end(a)), B \(end(b))") }
        return out
    }

    /// Text, reasoning, tool calls, errors, stop reason.
    static func answerLines(_ a: Assembly, _ b: Assembly) -> [String] {
        var out: [String] = []
        if let line = textLine("text", a.text, b.text) { out.append(line) }
        if let line = textLine("reasoning", a.reasoning, b.reasoning) { out.append(line) }
        if a.toolCalls.count != b.toolCalls.count { out.append("tool calls: A \(a.toolCalls.count), B \(b.toolCalls.count)") }
        for (i, (x, y)) in zip(a.toolCalls, b.toolCalls).enumerated() {
            if x.name != y.name { out.append("tool call \(i) name: A \(x.name), B \(y.name)") }
            let same = JSONValue.parse(Array(x.arguments.utf8)).flatMap { p in JSONValue.parse(Array(y.arguments.utf8)).map { p == $0 } }
                ?? (x.arguments == y.arguments)
            if !same { out.append("tool call \(i) arguments: A \(brief(x.arguments)), B \(brief(y.arguments))") }
        }
        let errors = { (s: Assembly) in s.errors.map { "\($0.type): \($0.message)" } }
        if errors(a) != errors(b) {
            out.append("errors: A [\(errors(a).joined(separator: "; "))], B [\(errors(b).joined(separator: "; "))]")
        }
        if a.stop != b.stop { out.append("stop: A \(a.stop ?? "none"), B \(b.stop ?? "none")") }
        return out
    }

    /// Where two texts part, with a little of each from there.
    static func textLine(_ name: String, _ a: String, _ b: String) -> String? {
        guard a != b else { return nil }
        let common = zip(a, b).prefix { $0 == $1 }.count
        return "\(name): differs from character \(common): A \(brief(String(a.dropFirst(common)))), B \(brief(String(b.dropFirst(common))))"
    }

    /// A quoted excerpt of at most 40 characters.
    static func brief(_ s: String) -> String {
        JSONText.quote(s.count > 40 ? String(s.prefix(39)) + "…" : s)
    }

    /// Events of pairs (same or changed) whose delay against A jumps by more than `tolerance` from the
    /// pair before (the first pair against no delay): where a delay starts, not every event after it.
    static func delays(_ steps: [Alignment.Step], _ ta: [UInt64], _ tb: [UInt64], tolerance: UInt64) -> [Delay] {
        var out: [Delay] = []
        var previous: Int64 = 0
        for step in steps {
            switch step {
            case let .same(i, j), let .changed(i, j): note(i, j)
            case .removed, .added: break
            }
        }
        /// Records the pair's delay, and a `Delay` when it jumped.
        func note(_ i: Int, _ j: Int) {
            let delay = Int64(bitPattern: tb[j] &- ta[i])
            if (delay - previous).magnitude > tolerance { out.append(Delay(a: i, b: j, shiftNs: delay - previous)) }
            previous = delay
        }
        return out
    }

    /// Codes whose finding counts differ.
    static func findingLines(_ a: [Finding], _ b: [Finding]) -> [String] {
        let count = { (f: [Finding]) in f.reduce(into: [String: Int]()) { $0[$1.code, default: 0] += 1 } }
        let (ca, cb) = (count(a), count(b))
        return Set(ca.keys).union(cb.keys).sorted().compactMap { code in
            ca[code, default: 0] == cb[code, default: 0] ? nil : "\(code): A \(ca[code, default: 0]), B \(cb[code, default: 0])"
        }
    }

    /// Where the bodies are cut into reads differently (only when the bytes are the same; otherwise
    /// the events say more).
    static func chunkLines(_ a: [Chunk], _ b: [Chunk]) -> [String] {
        let ends = { (c: [Chunk]) -> [Int] in var at = 0; return c.map { at += $0.bytes.count; return at } }
        let (ea, eb) = (ends(a), ends(b))
        guard ea != eb, a.flatMap(\.bytes) == b.flatMap(\.bytes) else { return [] }
        let first = zip(ea, eb).first { $0 != $1 }.map { min($0.0, $0.1) } ?? min(ea.last ?? 0, eb.last ?? 0)
        return ["chunks: the same \(ea.last ?? 0) bytes in \(a.count) reads in A, \(b.count) in B; first different cut at byte \(first)"]
    }
}
