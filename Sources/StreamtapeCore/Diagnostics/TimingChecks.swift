/// Checks on chunk timing: stall and slow-first-byte.
enum TimingChecks {
    /// Appends this group's findings to `out`.
    static func run(_ input: DiagnosticInput, into out: inout [Finding]) {
        let chunks = input.exchange.chunks
        guard let first = chunks.first else { return }
        let slowNs = nanoseconds(input.options.slowFirstByteSeconds)
        if first.offsetNs > slowNs {
            var head = ""
            if let response = input.exchange.response {
                head = response.offsetNs > first.offsetNs / 2
                    ? "; the response headers themselves took \(FindingText.seconds(response.offsetNs))"
                    : "; the headers came after \(FindingText.seconds(response.offsetNs)), so the wait was for the first token"
            }
            out.append(Finding(.slowFirstByte, offset: 0, event: input.event(at: 0),
                               message: "the first byte of the body arrived \(FindingText.seconds(first.offsetNs)) after the request (threshold \(FindingText.threshold(input.options.slowFirstByteSeconds)))\(head)"))
        }
        let stallNs = nanoseconds(input.options.stallSeconds)
        var offset = first.bytes.count
        for i in chunks.indices.dropFirst() {
            let previous = chunks[i - 1].offsetNs
            let now = chunks[i].offsetNs
            if now > previous, now - previous > stallNs {
                out.append(Finding(.stall, offset: offset, event: input.event(at: offset),
                                   message: "nothing arrived for \(FindingText.seconds(now - previous)) before chunk \(i) (threshold \(FindingText.threshold(input.options.stallSeconds))); the user saw the answer freeze here"))
            }
            offset += chunks[i].bytes.count
        }
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }                 // also catches NaN
        return seconds < 1e9 ? UInt64(seconds * 1_000_000_000) : UInt64.max
    }
}
