import Foundation
import StreamtapeCore

/// The `_streamtape` member streamtape's HAR export adds to each entry (chunks with their times,
/// upstream, end): read back, it makes HAR → archive lossless for streamtape's own files.
enum StreamtapeHAR {
    /// Replaces the single placeholder chunk by the recorded chunks, end and upstream.
    static func restore(_ own: DocNode, into e: inout Exchange, fields f: HARFields) throws(ImportError) {
        guard let list = own["chunks"]?.items else { throw f.fail(own, "\"_streamtape\" has no \"chunks\" list") }
        var chunks: [Chunk] = []
        for c in list {
            let t = try seconds(c["t"], f)
            let bytes: [UInt8]
            if let text = c["text"]?.string { bytes = Array(text.utf8) } else if let b64 = c["b64"]?.string, let d = Data(base64Encoded: b64) {
                bytes = [UInt8](d)
            } else {
                throw f.fail(c, "a \"_streamtape\" chunk needs \"text\" or \"b64\"")
            }
            if let prev = chunks.last, prev.offsetNs > t { throw f.fail(c, "\"_streamtape\" chunk times go backwards") }
            chunks.append(Chunk(seq: chunks.count, offsetNs: t, bytes: bytes))
        }
        guard chunks.flatMap(\.bytes) == e.body || e.response?.headers.value(for: "content-encoding") != nil else {
            throw f.fail(own, "\"_streamtape\" chunks differ from the response content")
        }
        e.chunks = chunks
        if let up = own["upstream"]?.string { e.upstream = up }
        if let end = own["end"] {
            guard let state = end["state"]?.string.flatMap(EndState.init(rawValue:)) else { throw f.fail(end, "\"_streamtape\" end has no known \"state\"") }
            e.end = ExchangeEnd(offsetNs: try seconds(end["t"], f), state: state, error: end["error"]?.string)
        } else {
            e.end = nil
        }
        e.timingUnknown = false
    }

    private static func seconds(_ node: DocNode?, _ f: HARFields) throws(ImportError) -> UInt64 {
        let value: Double? = switch node?.value {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
        guard let value, let ns = Seconds.ns(value) else { throw f.fail(node, "\"_streamtape\" times must be non-negative seconds") }
        return ns
    }
}
