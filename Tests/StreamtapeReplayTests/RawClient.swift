import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw-socket HTTP client for replay tests: sends bytes as given and records every read with the
/// monotonic time it arrived, so tests can check chunk boundaries, timing and how the server ended.
struct RawClient {
    /// One `recv` result and when it arrived (ns on the monotonic clock).
    struct Read { var at: UInt64; var bytes: [UInt8] }

    /// What came back: reads, the time the request was written, and whether the server closed.
    struct Result {
        var sentAt: UInt64
        var reads: [Read]
        var closedByServer: Bool
        var bytes: [UInt8] { reads.flatMap(\.bytes) }
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Connects to 127.0.0.1:port, writes `request`, reads until the server closes, `until` says the
    /// response is complete, or `timeout` seconds pass.
    static func exchange(port: Int, request: [UInt8], timeout: Double = 10,
                         until done: @escaping @Sendable ([UInt8]) -> Bool = { _ in false }) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: run(port: port, request: request, timeout: timeout, done: done))
            }
        }
    }

    private static func run(port: Int, request: [UInt8], timeout: Double, done: ([UInt8]) -> Bool) -> Result {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { return Result(sentAt: now(), reads: [], closedByServer: false) }
        let sentAt = now()
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reads: [Read] = []
        var all: [UInt8] = []
        let deadline = sentAt + UInt64(timeout * 1e9)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while now() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return Result(sentAt: sentAt, reads: reads, closedByServer: true) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return Result(sentAt: sentAt, reads: reads, closedByServer: true)
            }
            let bytes = Array(buffer[0..<n])
            reads.append(Read(at: now(), bytes: bytes))
            all += bytes
            if done(all) { break }
        }
        return Result(sentAt: sentAt, reads: reads, closedByServer: false)
    }
}

/// An HTTP/1.1 response taken apart: head, and the body as the server framed it.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    /// Chunk payloads in order (chunked), or one element (Content-Length).
    var chunks: [[UInt8]]
    /// Arrival time of the read that completed each chunk.
    var chunkArrivals: [UInt64]
    /// Whether the terminating zero-size chunk (or the full Content-Length) arrived.
    var complete: Bool
    var body: [UInt8] { chunks.flatMap { $0 } }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// Parses the first response in `result`.
    init?(_ result: RawClient.Result) {
        var ends: [Int] = []
        var total = 0
        for r in result.reads { total += r.bytes.count; ends.append(total) }
        func arrival(_ offset: Int) -> UInt64 { result.reads[ends.firstIndex { $0 >= offset }!].at }
        let all = result.bytes
        guard let headEnd = Self.find([13, 10, 13, 10], in: all, from: 0) else { return nil }
        let lines = String(decoding: all[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        self.status = status
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        chunks = []; chunkArrivals = []; complete = false
        var i = headEnd + 4
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased() == "chunked" }) {
            while let lineEnd = Self.find([13, 10], in: all, from: i) {
                guard let size = Int(String(decoding: all[i..<lineEnd], as: UTF8.self), radix: 16) else { return }
                if size == 0 { complete = Self.find([13, 10], in: all, from: lineEnd + 2) == lineEnd + 2; return }
                let start = lineEnd + 2
                guard start + size + 2 <= all.count else { chunks.append(Array(all[start...])); return }
                chunks.append(Array(all[start..<start + size]))
                chunkArrivals.append(arrival(start + size))
                i = start + size + 2
            }
        } else if let length = header("content-length").flatMap({ Int($0) }) {
            let body = Array(all[i..<min(all.count, i + length)])
            chunks = [body]
            complete = body.count == length
            if !body.isEmpty { chunkArrivals = [arrival(i + body.count)] }
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0], Array(hay[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// A request as raw bytes.
func rawRequest(_ method: String = "POST", _ target: String = "/v1/chat/completions", body: String = "{}",
                close: Bool = true, extra: String = "") -> [UInt8] {
    Array("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\(close ? "Connection: close\r\n" : "")\(extra)\r\n\(body)".utf8)
}
