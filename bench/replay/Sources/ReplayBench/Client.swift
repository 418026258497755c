import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// What one connection saw: when the request went out, when each event (`data: NNNNNN ...\n\n`)
/// finished arriving, when the chunked body ended.
final class StreamRecord: @unchecked Sendable {  // written on its channel's event loop only, read after close
    var sentAt: UInt64 = 0
    var firstReadAt: UInt64?
    var arrivals: [Int: UInt64] = [:]
    var endedAt: UInt64?
    var reads = 0
    fileprivate var pending: [UInt8] = []
}

/// Records arrival times of raw reads; event boundaries are found in the bytes themselves.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let record: StreamRecord
    init(record: StreamRecord) { self.record = record }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let at = BenchClient.now()
        let buffer = unwrapInboundIn(data)
        record.reads += 1
        if record.firstReadAt == nil { record.firstReadAt = at }
        record.pending.append(contentsOf: buffer.readableBytesView)
        scan(at: at)
    }

    private func scan(at: UInt64) {
        let p = record.pending
        var pos = 0
        let marker: [UInt8] = Array("data: ".utf8)
        outer: while true {
            guard let start = find(marker, in: p, from: pos) else { pos = max(pos, p.count - marker.count); break }
            guard start + 12 <= p.count else { pos = start; break }
            var k = 0
            for d in p[start + 6..<start + 12] { k = k * 10 + Int(d &- 48) }
            var j = start + 12
            while j + 1 < p.count {
                if p[j] == 10, p[j + 1] == 10 { record.arrivals[k] = at; pos = j + 2; continue outer }
                j += 1
            }
            pos = start
            break
        }
        if find(Array("\r\n0\r\n\r\n".utf8), in: p, from: max(0, pos - 8)) != nil { record.endedAt = at }
        record.pending.removeFirst(min(max(pos, 0), p.count))
    }

    private func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = max(0, from)
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] {
                var ok = true
                for k in 1..<needle.count where hay[i + k] != needle[k] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }
}

/// A NIO (epoll) client on its own event loop: opens connections, sends one request on each, and
/// records arrivals as they happen.
enum BenchClient {
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// Raises the open-file limit so a thousand connections (two fds each, in-process) fit.
    static func raiseFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    static let request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

    /// Opens `count` connections `spreadNs` apart, waits until all are closed (or `timeoutNs`), and
    /// returns what each saw.
    static func run(port: Int, count: Int, spreadNs: UInt64 = 0, timeoutNs: UInt64, group: any EventLoopGroup) async throws -> [StreamRecord] {
        var records: [StreamRecord] = []
        var closes: [EventLoopFuture<Void>] = []
        let t0 = now()
        for i in 0..<count {
            let target = t0 + UInt64(i) * spreadNs
            let wait = target > now() ? target - now() : 0
            if wait > 0 { try await Task.sleep(nanoseconds: wait) }
            let record = StreamRecord()
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RecordingHandler(record: record)) }
                }
                .connect(host: "127.0.0.1", port: port).get()
            let sent = channel.eventLoop.submit {
                record.sentAt = now()
                return channel.writeAndFlush(channel.allocator.buffer(string: request))
            }
            _ = try await sent.get()
            records.append(record)
            closes.append(channel.closeFuture)
        }
        let all = EventLoopFuture.andAllComplete(closes, on: group.next())
        let timeout = group.next().scheduleTask(in: .nanoseconds(Int64(timeoutNs))) {}
        _ = try? await all.get()
        timeout.cancel()
        return records
    }
}
