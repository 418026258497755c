import Foundation
import NIOCore
import NIOHTTP1
import StreamtapeCore
import StreamtapeForwarding

/// One forwarded miss in flight on a connection: its machine and its forwarding session.
struct MissSession {
    /// The exchange's state machine.
    var machine: MissMachine
    /// Executes the machine's actions (the recorder's own forwarding code).
    let forwarding: ForwardingSession
    /// Why the finished recording could not be added to what replay serves, if it could not.
    var notLearned: String?
}

/// Record-on-miss: the handler forwards a request no recording matches to the upstream, streams each
/// read to the client as it arrives, records it through the sink, and learns the finished recording.
extension ReplayHTTPHandler {
    /// Starts forwarding a whole request (head and body as the client sent them) to `route`.
    func forwardMiss(_ head: HTTPRequestHead, body: [UInt8], at: (ns: UInt64, wallMs: Int64),
                     route: (baseURL: String, url: String), recording: ReplayMissRecording, context: ChannelHandlerContext) {
        guard let writer else { return }
        missSerial += 1
        writer.version = head.version
        writer.keepAlive = keepAlive
        var machine = MissMachine(method: head.method.rawValue, target: head.uri, headers: head.headers.map { Header($0.name, $0.value) },
                                  body: body, at: at.ns, wallMs: at.wallMs, upstream: route, redaction: recording.redaction,
                                  tags: recording.tags)
        if !context.channel.isWritable { _ = machine.handle(.clientWritable(false)) }
        let actions = machine.begin()
        let (bound, serial) = (NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop), missSerial)
        let forwarding = ForwardingSession(wiring: recording.wiring, writer: writer, loop: context.eventLoop,
                                           clientWritable: context.channel.isWritable) { event in
            let (handler, context) = bound.value
            guard handler.miss != nil, handler.missSerial == serial else { return }
            handler.feedMiss(event, context: context)
        }
        miss = MissSession(machine: machine, forwarding: forwarding)
        executeMiss(actions, recording: recording, context: context)
    }

    /// Feeds an event to the miss in flight and executes what it says.
    func feedMiss(_ event: MissMachine.Event, context: ChannelHandlerContext) {
        guard var session = miss, let recording = catalog.configuration.recordMisses else { return }
        let actions = session.machine.handle(event)
        miss = session
        executeMiss(actions, recording: recording, context: context)
    }

    private func executeMiss(_ actions: [MissMachine.Action], recording: ReplayMissRecording, context: ChannelHandlerContext) {
        for action in actions {
            guard let session = miss else { return }
            switch action {
            case .exchange(let step):
                if case .refused(let error) = session.forwarding.execute(step) {
                    // Fail loudly rather than proxy traffic that cannot be recorded.
                    return feedMiss(.recordingFailed("\(error)", at: MonotonicClock.now()), context: context)
                }
            case .learn(var exchange):
                guard recording.learns else { continue }
                exchange.id = session.forwarding.sinkID
                do { try catalog.learn(exchange) } catch { miss?.notLearned = "\(error)" }
            case .finished(var report):
                report.id = session.forwarding.sinkID
                report.replayable = report.replayable && recording.learns
                if let reason = session.notLearned {
                    report.replayable = false
                    report.error = "recorded but not replayable: \(reason)"
                }
                miss = nil
                recording.onRecorded(report)
            }
        }
    }
}
