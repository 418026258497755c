/// Everything the checks read about one exchange, computed once.
struct DiagnosticInput {
    /// The exchange being diagnosed.
    let exchange: Exchange
    /// The joined response body.
    let body: [UInt8]
    /// The dialect the events were read as.
    let dialect: Dialect
    /// The framing the body was parsed with.
    let framing: StreamFraming
    /// The dispatched events.
    let events: [SSEEvent]
    /// The parser's facts.
    let facts: SSEStreamFacts
    /// The thresholds.
    let options: DiagnosticOptions

    /// Whether the body is a stream to check: a 2xx (or no) response that `ResponseStream` calls a stream.
    var hasStream: Bool {
        if let response = exchange.response, !(200..<300).contains(response.status) { return false }
        return ResponseStream.isStream(exchange)
    }

    /// Whether the stream ended as it meant to, so its end marker and last blank line must be there. Not
    /// while recording, and not when the client left or a failure cut it: `client-disconnected` or
    /// `truncated` already names that cause. A raw imported body (no response, no end) is complete.
    var streamEnded: Bool {
        guard let end = exchange.end else { return exchange.response == nil }
        return end.state == .complete
    }

    /// Index of the dispatched event whose bytes hold `offset`, if any.
    func event(at offset: Int) -> Int? {
        var lo = 0, hi = events.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if events[mid].start <= offset { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, offset < events[lo - 1].end else { return nil }
        return lo - 1
    }
}

/// Short quotes of stream content inside messages.
enum FindingText {
    /// `text` cut to `limit` characters with an ellipsis, line ends shown as `\n`.
    static func snippet(_ text: Substring, limit: Int = 60) -> String {
        // CR and LF are always characters of their own (or CR LF together), so showing them is a
        // byte rewrite of the first `limit` characters: no per-character appends.
        let cut = limit < 0 ? text.endIndex : text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex) ?? text.endIndex
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.distance(from: text.startIndex, to: cut) + 8)
        for b in text[..<cut].utf8 {
            switch b {
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            default: out.append(b)
            }
        }
        if cut != text.endIndex { out += "…".utf8 }
        return String(decoding: out, as: UTF8.self)
    }

    /// `snippet` for a whole string.
    static func snippet(_ text: String, limit: Int = 60) -> String { snippet(Substring(text), limit: limit) }

    /// `word` with its indefinite article: `an overloaded_error`, `a rate_limit_error`.
    static func withArticle(_ word: String) -> String {
        let vowel = word.first.map { "aeiouAEIOU".contains($0) } ?? false
        return (vowel ? "an " : "a ") + word
    }

    /// Seconds with one decimal, e.g. `28.0 s`.
    static func seconds(_ ns: UInt64) -> String {
        let tenths = ns / 100_000_000 + (ns % 100_000_000 >= 50_000_000 ? 1 : 0)
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// A threshold in seconds without a needless `.0`, e.g. `5 s`, `2.5 s`.
    static func threshold(_ s: Double) -> String {
        s == s.rounded() && abs(s) < 1e15 ? "\(Int(s)) s" : "\(s) s"
    }
}
