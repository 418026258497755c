import NIOCore
import NIOHTTP1
import StreamtapeCore

/// One plan's bytes as they go on the wire, made once when the plan is loaded: every segment both
/// framed as an HTTP/1.1 chunk (`size-in-hex CRLF bytes CRLF`) and bare (for a content-length or an
/// HTTP/1.0 body), all slices of a single buffer, plus the head's headers. A replay sends these
/// slices as they are: no allocation, copy or chunk framing per request or per write.
struct PlanWire {
    /// Each segment framed as one HTTP chunk; empty for an empty segment (a `0` chunk would end the body).
    let framed: [ByteBuffer]
    /// Each segment's bytes alone.
    let bare: [ByteBuffer]
    /// The recorded head's headers, before the per-request `connection` and HTTP/1.0 adjustments.
    let headers: HTTPHeaders

    /// Lays out `plan`'s segments in one buffer from `allocator`.
    init(plan: ReplayPlan, allocator: ByteBufferAllocator) {
        let hexes = plan.segments.map { $0.bytes.isEmpty ? "" : String($0.bytes.count, radix: 16) }
        let size = zip(plan.segments, hexes).reduce(0) { $0 + $1.0.bytes.count + ($1.1.isEmpty ? 0 : $1.1.utf8.count + 4) }
        var all = allocator.buffer(capacity: size)
        var spans: [(start: Int, bytesAt: Int, end: Int)] = []
        spans.reserveCapacity(plan.segments.count)
        for (segment, hex) in zip(plan.segments, hexes) {
            let start = all.writerIndex
            if !hex.isEmpty { all.writeString(hex); all.writeStaticString("\r\n") }
            let bytesAt = all.writerIndex
            all.writeBytes(segment.bytes)
            if !hex.isEmpty { all.writeStaticString("\r\n") }
            spans.append((start, bytesAt, all.writerIndex))
        }
        framed = spans.map { all.getSlice(at: $0.start, length: $0.end - $0.start)! }
        bare = zip(spans, plan.segments).map { all.getSlice(at: $0.0.bytesAt, length: $0.1.bytes.count)! }
        headers = HTTPHeaders(plan.head.headers.map { ($0.name, $0.value) })
    }
}
