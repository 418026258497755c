import NIOHTTP1

/// How a replayed body goes on the wire, decided once per response the way NIO's `HTTPResponseEncoder`
/// (default configuration: it sets the framing headers itself) frames it, so a segment can be written
/// already framed just below the encoder and the bytes on the wire are the ones the encoder would make.
enum BodyFraming: Equatable {
    /// Each segment as one HTTP chunk (`PlanWire.framed`): an HTTP/1.1 response that may have a body
    /// and has no `content-length`.
    case chunked
    /// Each segment's bytes alone (`PlanWire.bare`): a `content-length`, an HTTP/1.0 body that ends
    /// with the connection, or a status that has no body framing.
    case bare
    /// Through the encoder as `.body` parts: answers to HEAD and CONNECT (the encoder refuses their
    /// body bytes), or when the encoder was not found in the pipeline.
    case throughEncoder

    /// The framing of a response with `status`, `version` and `headers` (as written) to a `method` request.
    init(method: HTTPMethod, status: HTTPResponseStatus, version: HTTPVersion, headers: HTTPHeaders, hasEncoder: Bool) {
        guard hasEncoder, method != .HEAD, method != .CONNECT else { self = .throughEncoder; return }
        let oneOne = version.major == 1 && version.minor >= 1
        self = status.mayHaveResponseBody && !headers.contains(name: "content-length") && oneOne ? .chunked : .bare
    }
}
