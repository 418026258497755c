import Foundation

/// The portable capture file (`*.tape.jsonl`): one exchange, UTF-8 JSON Lines, lossless both ways.
///
/// Line 1 is the header (version, start, upstream, request, response head, optional id/tags/note, and
/// `"timing":"unknown"` for an exchange whose chunk times were never recorded);
/// then one line per chunk (`{"t":…,"text":…}` or `{"t":…,"b64":…}`); the last line is the end
/// (`{"t":…,"end":"complete"}` with `"error"` when there is one). `t` is seconds from the start of
/// the exchange, written with nanosecond precision so times survive the round trip exactly.
public enum Tape {
    /// The tape format version this build writes and reads.
    public static let version = 1

    /// A tape that cannot be read, with the line where it went wrong.
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        /// 1-based line number (0 when the file as a whole is wrong).
        public var line: Int
        /// What is wrong.
        public var reason: String
        /// `line 3: …`
        public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
    }

    // MARK: Writing

    /// Encodes an exchange as tape text.
    public static func encode(_ e: Exchange) -> String {
        var h = JSONText()
        h.open()
        h.int("streamtape", version)
        if let id = e.id { h.int("id", id) }
        h.string("started", WallClock.iso(ms: e.startedMs))
        h.string("upstream", e.upstream)
        h.open("request")
        h.string("method", e.request.method)
        h.string("target", e.request.target)
        writeHeaders(&h, e.request.headers)
        if !e.request.body.isEmpty { writeBytes(&h, textKey: "body", b64Key: "body_b64", e.request.body) }
        h.close()
        if let r = e.response {
            h.open("response")
            h.int("status", r.status)
            h.seconds("t", ns: r.offsetNs)
            writeHeaders(&h, r.headers)
            h.close()
        }
        // Tags are a set: written sorted, so the archive (which keeps them as a set) round-trips the bytes.
        if !e.tags.isEmpty { h.openArray("tags"); for t in e.tags.sorted() { h.string(nil, t) }; h.closeArray() }
        if let note = e.note { h.string("note", note) }
        if e.timingUnknown { h.string("timing", "unknown") }
        h.close()
        var lines = [h.text]
        lines.reserveCapacity(e.chunks.count + 2)
        for c in e.chunks {
            var j = JSONText()
            j.open()
            j.seconds("t", ns: c.offsetNs)
            writeBytes(&j, textKey: "text", b64Key: "b64", c.bytes)
            j.close()
            lines.append(j.text)
        }
        if let end = e.end {
            var j = JSONText()
            j.open()
            j.seconds("t", ns: end.offsetNs)
            j.string("end", end.state.rawValue)
            if let err = end.error { j.string("error", err) }
            j.close()
            lines.append(j.text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func writeHeaders(_ j: inout JSONText, _ headers: [Header]) {
        j.openArray("headers")
        for hd in headers { j.openArray(); j.string(nil, hd.name); j.string(nil, hd.value); j.closeArray() }
        j.closeArray()
    }

    private static func writeBytes(_ j: inout JSONText, textKey: String, b64Key: String, _ bytes: [UInt8]) {
        if let s = String(validating: bytes, as: UTF8.self) {
            j.string(textKey, s)
        } else {
            j.string(b64Key, Data(bytes).base64EncodedString())
        }
    }

    // MARK: Reading

    /// Decodes tape text into an exchange; errors name the line.
    public static func decode(_ bytes: [UInt8]) throws -> Exchange {
        let firstEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
        guard firstEnd > 0 else { throw FormatError(line: 0, reason: "empty file: not a tape") }
        let head = try object(bytes[..<firstEnd], line: 1)
        guard let v = head.jsonInt("streamtape") else {
            throw FormatError(line: 1, reason: "not a streamtape tape (the first line has no \"streamtape\" version)")
        }
        guard v == version else {
            throw FormatError(line: 1, reason: "tape version \(v) is not supported (this streamtape reads version \(version))")
        }
        guard let startedText = head.jsonString("started"), let started = WallClock.parse(startedText) else {
            throw FormatError(line: 1, reason: "\"started\" must be an ISO 8601 timestamp with a year from 0001 to 9999")
        }
        guard let req = head.jsonObject("request") else { throw FormatError(line: 1, reason: "missing \"request\" object") }
        let request = CapturedRequest(
            method: try string(req, "method", line: 1), target: try string(req, "target", line: 1),
            headers: try headers(req["headers"], line: 1),
            body: try bytesField(req, textKey: "body", b64Key: "body_b64", line: 1, required: false))
        var response: CapturedResponse?
        if let resp = head.jsonObject("response") {
            guard let status = resp.jsonInt("status"), (100...999).contains(status) else {
                throw FormatError(line: 1, reason: "response needs an integer \"status\" from 100 to 999")
            }
            response = CapturedResponse(status: status, headers: try headers(resp["headers"], line: 1),
                                        offsetNs: try time(resp, line: 1, required: false))
        }
        if let id = head["id"], !id.isNull, id.intValue == nil {
            throw FormatError(line: 1, reason: "\"id\" must be an integer")
        }
        let tags = head.jsonArray("tags")?.map(\.stringValue)
        var exchange = Exchange(id: head.jsonInt("id").map(Int64.init), startedMs: started,
                                upstream: head.jsonString("upstream") ?? "", request: request, response: response,
                                tags: tags?.contains(nil) == false ? tags!.compactMap { $0 } : [], note: head.jsonString("note"))
        if let timing = head["timing"] {
            guard timing.stringValue == "unknown" else { throw FormatError(line: 1, reason: "\"timing\" can only be \"unknown\"") }
            exchange.timingUnknown = true
        }
        try bytes.withUnsafeBufferPointer { all in
            try readChunkLines(all, from: min(firstEnd + 1, all.count), into: &exchange)
        }
        return exchange
    }

    /// Reads the chunk lines and the end line, from byte `start` (line 2) to the end of the tape. Each
    /// line is read into one reused `JSONDocument`: a chunk's text is copied straight from the line.
    private static func readChunkLines(_ all: UnsafeBufferPointer<UInt8>, from start: Int, into exchange: inout Exchange) throws {
        var document = JSONDocument()
        var lineStart = start
        var n = 1
        exchange.chunks.reserveCapacity(min(all.count / 64, 1 << 22))   // a chunk line is rarely under 64 bytes
        while lineStart < all.count {
            let lineEnd = all[lineStart...].firstIndex(of: 0x0A) ?? all.count
            defer { lineStart = lineEnd + 1 }
            n += 1
            if exchange.end != nil { throw FormatError(line: n, reason: "line after the end line") }
            try document.withRoot(of: UnsafeBufferPointer(rebasing: all[lineStart..<lineEnd])) { root in
                guard let o = root else { throw FormatError(line: n, reason: "not valid JSON") }
                guard o.isObject else { throw FormatError(line: n, reason: "expected a JSON object") }
                let t = try time(o["t"].map(\.value), line: n, required: true)
                if let endText = o.jsonString("end") {
                    guard let state = EndState(rawValue: endText) else {
                        throw FormatError(line: n, reason: "unknown end state \"\(endText)\"")
                    }
                    exchange.end = ExchangeEnd(offsetNs: t, state: state, error: o.jsonString("error"))
                    return
                }
                let b = try bytes(text: o["text"]?.stringBytes, b64: o.jsonString("b64"), textKey: "text", b64Key: "b64",
                                  line: n, required: true)
                if let prev = exchange.chunks.last, prev.offsetNs > t {
                    throw FormatError(line: n, reason: "time goes backwards (\(Seconds.format(ns: t)) after \(Seconds.format(ns: prev.offsetNs)))")
                }
                exchange.chunks.append(Chunk(seq: exchange.chunks.count, offsetNs: t, bytes: b))
            }
        }
    }

    private static func object(_ line: ArraySlice<UInt8>, line n: Int) throws -> JSONValue {
        guard let o = JSONValue.parse(line) else { throw FormatError(line: n, reason: "not valid JSON") }
        guard o.isObject else { throw FormatError(line: n, reason: "expected a JSON object") }
        return o
    }

    private static func string(_ o: JSONValue, _ key: String, line: Int) throws -> String {
        guard let s = o.jsonString(key) else { throw FormatError(line: line, reason: "missing string \"\(key)\"") }
        return s
    }

    private static func time(_ o: JSONValue, line: Int, required: Bool) throws -> UInt64 {
        try time(o["t"], line: line, required: required)
    }

    /// The `t` member's value in ns.
    private static func time(_ value: JSONValue?, line: Int, required: Bool) throws -> UInt64 {
        guard let v = value else {
            if required { throw FormatError(line: line, reason: "missing \"t\" (seconds from the start)") }
            return 0
        }
        guard case .number(let literal) = v, let seconds = Double(literal), let ns = Seconds.ns(seconds) else {
            throw FormatError(line: line, reason: "\"t\" must be a number of seconds from 0 to less than 1000000000")
        }
        return ns
    }

    private static func headers(_ v: JSONValue?, line: Int) throws -> [Header] {
        guard let v else { return [] }
        let pairs = v.arrayValue?.map { pair in pair.arrayValue.map { $0.compactMap(\.stringValue) } }
        guard let pairs, pairs.allSatisfy({ $0?.count == 2 }) else {
            throw FormatError(line: line, reason: "headers must be a list of [name, value] pairs")
        }
        return pairs.map { Header($0![0], $0![1]) }
    }

    private static func bytesField(_ o: JSONValue, textKey: String, b64Key: String, line: Int, required: Bool) throws -> [UInt8] {
        try bytes(text: o.jsonString(textKey).map { Array($0.utf8) }, b64: o.jsonString(b64Key), textKey: textKey, b64Key: b64Key,
                  line: line, required: required)
    }

    /// Bytes given as text (its UTF-8) or as base64, the text first; empty, or an error when `required`,
    /// when neither is there.
    private static func bytes(text: [UInt8]?, b64: String?, textKey: String, b64Key: String, line: Int, required: Bool) throws -> [UInt8] {
        if let text { return text }
        if let b64 {
            guard let d = Data(base64Encoded: b64) else { throw FormatError(line: line, reason: "\"\(b64Key)\" is not valid base64") }
            return [UInt8](d)
        }
        if required { throw FormatError(line: line, reason: "a chunk line needs \"\(textKey)\" or \"\(b64Key)\"") }
        return []
    }
}
