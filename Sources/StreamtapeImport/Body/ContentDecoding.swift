import CompressNIO
import NIOCore
import StreamtapeCore

/// Undoes `Content-Encoding` on an imported body, so the archive holds the stream itself (the
/// recorder asks upstreams for identity encoding), and fixes the headers to match.
enum ContentDecoding {
    /// The largest body an import keeps (after decoding): a decompression bomb is an error, not a crash.
    static let maxBodyBytes = 256 << 20

    /// The outcome: the body and headers to store.
    struct Decoded {
        /// The body bytes.
        var body: [UInt8]
        /// The response headers, without `Content-Encoding` (and with `Content-Length` fixed) when decoded.
        var headers: [Header]
    }

    /// Decodes `body` by the `Content-Encoding` header; `place` names the entry in errors. A body that
    /// does not decode is an error unless it is UTF-8 text: Firefox's HAR export and vcrpy's old httpx
    /// layout store bodies already decoded under the original header (gzip and zlib streams never are UTF-8; a brotli stream rarely is).
    static func decode(_ body: [UInt8], headers: [Header], where place: String) throws(ImportError) -> Decoded {
        guard let coding = headers.value(for: "content-encoding")?.trimmingCharacters(in: .whitespaces).lowercased(),
              !coding.isEmpty, coding != "identity", !body.isEmpty else {
            try checkSize(body.count, place)
            return Decoded(body: body, headers: headers)
        }
        var decoded = body
        // `Content-Encoding: gzip, br` lists codings in the order applied: undo them last first.
        for step in coding.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).reversed() {
            do {
                decoded = try undo(step, decoded, place)
            } catch {
                switch error {
                case .undecodable(let reason):
                    guard String(validating: body, as: UTF8.self) != nil else { throw ImportError(reason) }
                    return Decoded(body: body, headers: adjusted(headers, length: body.count))
                case .tooLarge:
                    throw ImportError("body of \(place) is larger than \(maxBodyBytes >> 20) MiB")
                }
            }
        }
        try checkSize(decoded.count, place)
        return Decoded(body: decoded, headers: adjusted(headers, length: decoded.count))
    }

    private enum Failure: Error {
        case undecodable(String)
        case tooLarge
    }

    private static func undo(_ coding: String, _ bytes: [UInt8], _ place: String) throws(Failure) -> [UInt8] {
        switch coding {
        case "gzip", "x-gzip": return try inflate(bytes, [.gzip()], coding, place)
        // HTTP's "deflate" is zlib-wrapped, but some servers send raw deflate: try both.
        case "deflate": return try inflate(bytes, [.zlib(), .deflate()], coding, place)
        case "identity": return bytes
        case "br": return try unbrotli(bytes, place)
        default: throw .undecodable("\(place): content-encoding \(coding) cannot be decoded")
        }
    }

    private static func inflate(_ bytes: [UInt8], _ algorithms: [CompressionAlgorithm], _ coding: String, _ place: String) throws(Failure) -> [UInt8] {
        for algorithm in algorithms {
            var input = ByteBuffer(bytes: bytes)
            do {
                var out = try input.decompress(with: algorithm, maxSize: maxBodyBytes)
                return out.readBytes(length: out.readableBytes) ?? []
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw .tooLarge
            } catch {
                continue
            }
        }
        throw .undecodable("\(place): the \(coding) body is corrupt and cannot be decoded")
    }

    private static func unbrotli(_ bytes: [UInt8], _ place: String) throws(Failure) -> [UInt8] {
        do {
            return try BrotliDecoding.decode(bytes, maxSize: maxBodyBytes)
        } catch {
            switch error {
            case .tooLarge: throw .tooLarge
            case .corrupt(let why): throw .undecodable("\(place): the br body is corrupt and cannot be decoded (\(why))")
            }
        }
    }

    private static func checkSize(_ count: Int, _ place: String) throws(ImportError) {
        if count > maxBodyBytes { throw ImportError("body of \(place) is larger than \(maxBodyBytes >> 20) MiB") }
    }

    /// Headers without `Content-Encoding`, with `Content-Length` (when present) set to the stored length.
    static func adjusted(_ headers: [Header], length: Int) -> [Header] {
        headers.compactMap { h in
            switch h.name.lowercased() {
            case "content-encoding": nil
            case "content-length": Header(h.name, String(length))
            default: h
            }
        }
    }
}
