import StreamtapeCore

/// One forwarded miss: the recorder's `ExchangeMachine`, adapted for replay (events in, actions out).
///
/// The request is complete when the miss is known (replay matches whole requests), so it is fed to the
/// shared machine whole. What differs from a recorded exchange stays here: the client gets the response
/// head before the sink does (as it gets every read); a miss that ends `complete` is also handed back as
/// an `Exchange` (`learn`) before the client gets the end of the body, so a client that saw the whole
/// answer finds it replayable at once; a sink that refuses the exchange gets a 503 naming the miss.
struct MissMachine: Sendable {
    /// What happened: the shared machine's upstream, client and sink events.
    typealias Event = ExchangeMachine.Event

    /// What the handler must do, in order.
    enum Action: Sendable, Equatable {
        /// Do what the shared machine says (its `finished` arrives as this type's `finished`).
        case exchange(ExchangeMachine.Action)
        /// Add the finished recording to what replay serves (its `id` is filled in by the handler).
        case learn(Exchange)
        /// The miss is over.
        case finished(ReplayMissReport)
    }

    private var machine: ExchangeMachine
    private let tags: [String]
    private var exchange: Exchange?

    /// A miss for a whole request (as the client sent it, credentials included) received at `at`.
    init(method: String, target: String, headers: [Header], body: [UInt8], at: UInt64, wallMs: Int64,
         upstream: (baseURL: String, url: String), redaction: Redaction, tags: [String] = []) {
        self.tags = tags
        // A miss ends `complete` only when the upstream says so: a client that hangs up is a disconnect.
        machine = ExchangeMachine(resolve: { _ in upstream }, redaction: redaction, maxRequestBody: .max,
                                  completesWhenClientHasWholeBody: false)
        _ = machine.handle(.requestHead(method: method, target: target, headers: headers, at: at, wallMs: wallMs))
        _ = machine.handle(.requestBody(body))
    }

    /// Whether the miss is over.
    var isFinished: Bool { machine.isFinished }

    /// Opens the recording and starts the transfer.
    mutating func begin() -> [Action] { translate(machine.handle(.requestEnd)) }

    /// Feeds one event and returns what to do, in order.
    mutating func handle(_ event: Event) -> [Action] {
        let actions = translate(machine.handle(event))
        guard case .recordingFailed(let message, _) = event else { return actions }
        // Nothing unrecorded is proxied; the answer says it was the miss that could not be recorded.
        let json = ExchangeMachine.errorJSON("streamtape_archive_error", "streamtape cannot record the miss: \(message)")
        return actions.map { if case .exchange(.respond(503, _)) = $0 { return .exchange(.respond(status: 503, json: json)) } else { return $0 } }
    }

    /// Keeps the recording as it is made, and orders the shared machine's actions for a miss.
    private mutating func translate(_ actions: [ExchangeMachine.Action]) -> [Action] {
        var out: [Action] = []
        for action in actions {
            switch action {
            case .recordBegin(let startedMs, let upstream, let request):
                exchange = Exchange(startedMs: startedMs, upstream: upstream, request: request, tags: tags)
            case .recordResponse(let response):
                exchange?.response = response
            case .forwardHead:
                // The client gets the head before the sink does, as it gets every read first.
                if case .exchange(.recordResponse)? = out.last { out.insert(.exchange(action), at: out.count - 1); continue }
            case .recordChunk(let chunk):
                exchange?.chunks.append(chunk)
            case .recordEnd(let end):
                exchange?.end = end
                guard end.state == .complete, let exchange else { break }
                // Learned before the client gets the end of the body, which then follows.
                let forwardEnd = out.firstIndex(of: .exchange(.forwardEnd))
                if let forwardEnd { out.remove(at: forwardEnd) }
                out += [.exchange(action), .learn(exchange)] + (forwardEnd == nil ? [] : [.exchange(.forwardEnd)])
                continue
            case .finished(let r):
                out.append(.finished(ReplayMissReport(id: nil, method: r.method, target: r.target, status: r.status, state: r.state,
                                                      error: r.error, replayable: r.state == .complete)))
                continue
            default:
                break
            }
            out.append(.exchange(action))
        }
        return out
    }
}
