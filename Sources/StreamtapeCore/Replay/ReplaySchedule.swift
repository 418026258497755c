/// Turns a recorded exchange, a pacing and faults into a `ReplayPlan`: which bytes go out at which
/// deadline and how the response ends. Pure and deterministic; the server only executes the plan.
///
/// Deadlines are request time + recorded offset / speed (each from its own recorded offset, so error
/// never accumulates), with `--max-gap` cutting long pauses. Faults are placed by event number on the
/// original stream (events as Core's `SSEParser` dispatches them) and applied in this order: stalls,
/// then the cut or error point, then the terminator removal, then re-chunking.
public enum ReplaySchedule {
    /// The plan for `exchange`. Throws when a fault names an event the stream does not have.
    public static func plan(for exchange: Exchange, pacing: ReplayPacing = .init(),
                            faults: [FaultSpec] = []) throws(FaultSpecError) -> ReplayPlan {
        let pacing = pacing.forExchange(exchange)
        guard let response = exchange.response else { return noResponsePlan(exchange) }
        for fault in faults {
            if case .status(let code, let dialect) = fault {
                let d = dialect ?? Dialect.guess(for: exchange)
                let body = ProviderErrors.statusBody(code, d)
                let head = ReplayHead(status: code, headers: ProviderErrors.statusHeaders(code, bodyLength: body.count), chunked: false)
                let at = pacing.deadlines([response.offsetNs])[0]
                return ReplayPlan(head: head, headAt: at, segments: [ReplaySegment(at: at, bytes: body)], ending: .complete, endAt: at)
            }
        }

        // Deadlines for head, chunks and end, from the recorded offsets.
        let lastOffset = exchange.chunks.last?.offsetNs ?? response.offsetNs
        let recorded = [response.offsetNs] + exchange.chunks.map(\.offsetNs) + [exchange.end?.offsetNs ?? lastOffset]
        let deadlines = pacing.deadlines(recorded)
        let headAt = deadlines[0]
        var endAt = deadlines[deadlines.count - 1]
        var timeline = ReplayTimeline(segments: zip(exchange.chunks, deadlines.dropFirst()).compactMap {
            $0.bytes.isEmpty ? nil : ReplaySegment(at: $1, bytes: $0.bytes)
        })
        let originalLength = timeline.count

        let recordedComplete = exchange.end?.state == .complete
        var ending: ReplayEnding = recordedComplete ? .complete : .abort
        let needsEvents = faults.contains { $0.eventNumber != nil || $0 == .dropTerminator }
        let parsed = needsEvents ? SSEParser.parse(chunks: exchange.chunks.map(\.bytes), framing: ResponseStream.framing(of: exchange))
            : (events: [], facts: SSEStreamFacts())
        let events = parsed.events

        // `@N` is before event #N (numbered from 0, as show and check number them): the byte offset
        // where the N events #0...#N-1 have all been sent. N = events.count is after the last event.
        func offset(before n: Int, _ fault: FaultSpec) throws(FaultSpecError) -> Int {
            guard n <= events.count else {
                throw FaultSpecError(spec: fault.description, reason: FaultSpec.outOfRange(events: events.count))
            }
            return n == 0 ? 0 : events[n - 1].end
        }

        // 1. Stalls shift everything after their event, end included.
        for fault in faults {
            guard case .stall(let n, let seconds) = fault else { continue }
            let ns = UInt64((seconds * 1e9).rounded())  // at most 3600 s: FaultSpec refuses more
            timeline.delay(from: try offset(before: n, fault), by: ns)
            endAt = ReplayNanoseconds.add(endAt, ns)
        }

        // 2. The earliest cut or error point ends the body there.
        var stop: (offset: Int, fault: FaultSpec)?
        for fault in faults {
            switch fault {
            case .cut(let n), .error(let n, _):
                let o = try offset(before: n, fault)
                if stop == nil || o < stop!.offset { stop = (o, fault) }
            default: break
            }
        }
        var errorFrame: (bytes: [UInt8], at: UInt64)?
        if let stop {
            let at = timeline.time(before: stop.offset, fallback: headAt)
            if case .error(let n, let dialect) = stop.fault {
                let context = streamContext(events: Array(events.prefix(n)), facts: parsed.facts)
                errorFrame = (ProviderErrors.streamFrame(dialect, context: context), at)
                ending = .complete
            } else {
                ending = .abort
            }
            timeline.truncate(at: stop.offset)
            endAt = at
        }

        // 3. The terminator event's bytes left out.
        if faults.contains(.dropTerminator), let t = Dialect.detect(target: exchange.request.target,
            contentType: response.headers.value(for: "content-type"), firstEvents: Array(events.prefix(16))).terminator(in: events) {
            let limit = timeline.count
            let range = min(t.start, limit)..<min(t.end, limit)
            timeline.remove(range)
        }
        if let errorFrame { timeline.segments.append(ReplaySegment(at: errorFrame.at, bytes: errorFrame.bytes)) }

        // 4. Re-chunking, last, so it re-splits exactly what is sent.
        for fault in faults {
            switch fault {
            case .rechunk(let k): timeline.rechunk { k }
            case .rechunkRandom(let seed):
                var rng = SplitMix64(state: seed)
                timeline.rechunk { Int(1 + rng.next() % 16) }
            default: break
            }
        }

        let bodyLength = ending == .abort && !ReplayHead.wasStreamed(response.headers)
            ? max(originalLength, Int(response.headers.value(for: "content-length") ?? "") ?? 0)
            : timeline.count
        let head = ReplayHead.replaying(response, bodyLength: bodyLength)
        endAt = max(endAt, timeline.segments.last?.at ?? headAt, headAt)
        return ReplayPlan(head: head, headAt: headAt, segments: timeline.segments, ending: ending, endAt: endAt)
    }

    /// A 502 explaining that the recording has no response to give back.
    static func noResponsePlan(_ exchange: Exchange) -> ReplayPlan {
        var text = "{\"error\":{\"type\":\"streamtape_recorded_failure\",\"message\":"
        text += JSONText.quote("the recorded exchange got no response: \(exchange.end?.error ?? exchange.end?.state.rawValue ?? "unknown")")
        text += "}}"
        let body = Array(text.utf8)
        let head = ReplayHead(status: 502, headers: [Header("content-type", "application/json"), Header("content-length", String(body.count))], chunked: false)
        return ReplayPlan(head: head, headAt: 0, segments: [ReplaySegment(at: 0, bytes: body)], ending: .complete, endAt: 0)
    }

    /// What an injected error frame needs to continue the stream: line ending, Responses numbering.
    static func streamContext(events: [SSEEvent], facts: SSEStreamFacts) -> ProviderErrors.StreamContext {
        var c = ProviderErrors.StreamContext(lineEnding: facts.crlf > facts.lf ? "\r\n" : "\n")
        for e in events {
            guard let j = JSONValue.parse(e.data) else { continue }
            if let s = j["sequence_number"]?.intValue { c.nextSequenceNumber = s + 1 }
            if let id = j["response"]?["id"]?.stringValue { c.responseId = id }
        }
        return c
    }
}
