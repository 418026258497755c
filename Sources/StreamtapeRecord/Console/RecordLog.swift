import Foundation
import NIOConcurrencyHelpers
import StreamtapeCore
import StreamtapeForwarding

/// The recorder's output: startup line, one line per exchange (text or JSON), the tty status line.
public final class RecordLog: Sendable {
    private let quiet: Bool
    private let json: Bool
    /// Whether the status line is on screen; its lock also keeps stderr and stdout writes whole.
    private let statusShown = NIOLockedValueBox(false)
    private let queue = DispatchQueue(label: "streamtape.record.log")

    /// Creates the log; `quiet` keeps only the startup line and warnings, `json` prints JSON lines.
    public init(quiet: Bool, json: Bool) { self.quiet = quiet; self.json = json }

    /// The startup line: listen address, archive path, upstreams.
    public func startup(listen: String, archive: String, routes: UpstreamRoutes) {
        let table = routes.routes.map { ($0.prefix.isEmpty ? "" : "\($0.prefix) → ") + $0.baseURL }
        if json {
            let ups = routes.routes.map { ["prefix": $0.prefix, "url": $0.baseURL] }
            emit(Self.jsonLine(["event": "listening", "listen": "http://\(listen)", "archive": archive, "upstreams": ups]))
        } else {
            emit("streamtape record: listening on http://\(listen), archive \(archive), upstream \(table.joined(separator: ", "))")
        }
    }

    /// One line per finished exchange.
    public func exchange(_ r: ExchangeReport) {
        guard !quiet else { return }
        if json {
            var o: [String: Any] = ["event": "exchange", "method": r.method, "target": r.target, "upstream": r.upstream,
                                    "state": r.state.rawValue, "events": r.events, "chunks": r.chunks, "bytes": r.bytes,
                                    "duration_ms": Double(r.durationNs) / 1e6]
            o["id"] = r.id; o["status"] = r.status; o["error"] = r.error
            o["ttfb_ms"] = r.ttfbNs.map { Double($0) / 1e6 }
            emit(Self.jsonLine(o))
        } else {
            let id = r.id.map { "#\($0)" } ?? "-"
            let status = r.status.map(String.init) ?? "---"
            let ttfb = r.ttfbNs.map { Self.ms($0) } ?? "-"
            var line = "\(id) \(r.method) \(r.target) \(status) \(r.state.rawValue) events=\(r.events) ttfb=\(ttfb) duration=\(Self.ms(r.durationNs))"
            if let error = r.error { line += " error=\"\(error)\"" }
            emit(line)
        }
    }

    /// A line about the recorder itself (stopping, stopped).
    public func note(_ text: String) {
        guard !quiet else { return }
        if json { emit(Self.jsonLine(["event": "note", "message": text])) } else { emit("streamtape record: \(text)") }
    }

    /// A warning on stderr (shown even with --quiet).
    public func warning(_ text: String) { write(2, "warning: \(text)\n") }

    /// Redraws `active · done · bytes` on stderr twice a second until cancelled (terminals only).
    public func statusLoop(_ stats: @Sendable () -> RecordStats) async {
        var lastEvents = stats().events
        var lastTime = MonotonicClock.now()
        while !Task.isCancelled {
            let s = stats()
            let now = MonotonicClock.now()
            let rate = Double(s.events - lastEvents) / max(Double(now - lastTime) / 1e9, 0.001)
            lastEvents = s.events
            lastTime = now
            statusShown.withLockedValue { shown in
                shown = true
                write(2, "\r\u{1B}[K\(s.active) open · \(s.finished) exchanges · \(Int(rate.rounded())) events/s · "
                         + "\(s.failed) problem\(s.failed == 1 ? "" : "s") · \(Self.bytes(s.bytes))")
            }
            try? await Task.sleep(nanoseconds: 500_000_000)
        }
        statusShown.withLockedValue { clearStatus(&$0) }
    }

    /// Lines are written from a queue of their own, so a slow or blocked stdout never stalls an event loop.
    private func emit(_ line: String) {
        queue.async { [self] in
            statusShown.withLockedValue { shown in
                clearStatus(&shown)
                write(1, line + "\n")
            }
        }
    }

    /// Waits until every line so far is written.
    public func flush() { queue.sync {} }

    private func clearStatus(_ shown: inout Bool) {
        if shown { write(2, "\r\u{1B}[K") }
        shown = false
    }

    private func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    private static func jsonLine(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func ms(_ ns: UInt64) -> String {
        ns >= 1_000_000_000 ? String(format: "%.2fs", Double(ns) / 1e9) : String(format: "%.1fms", Double(ns) / 1e6)
    }

    private static func bytes(_ n: Int) -> String {
        n >= 1 << 20 ? String(format: "%.1f MB", Double(n) / 1_048_576) : n >= 1024 ? String(format: "%.1f kB", Double(n) / 1024) : "\(n) B"
    }
}
