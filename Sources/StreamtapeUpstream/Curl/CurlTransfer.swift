internal import CCurl
import Foundation
import StreamtapeCore
import Synchronization

/// One exchange's easy handle: owns the handle, its header list and error buffer, and frees them.
///
/// Backpressure: `pause()` only sets a flag; the next write callback returns `CURL_WRITEFUNC_PAUSE`,
/// so libcurl keeps that data and stops reading the socket. `resume()` unpauses on the curl thread.
final class CurlTransfer: UpstreamTransfer, @unchecked Sendable {
    /// The easy handle (a `CURL *`).
    let easy: UnsafeMutableRawPointer
    private let request: UpstreamRequest
    private let options: CurlUpstreamClient.Options
    private unowned let engine: CurlEngine
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var headerList: UnsafeMutablePointer<curl_slist>?

    /// The delegate (nil once cancelled or ended) and whether a pause was asked for.
    private let shared: Mutex<(delegate: (any UpstreamDelegate)?, wantPause: Bool)>

    // Curl thread only.
    private var curlPaused = false
    private var headLines: [String] = []
    private var status = 0
    private var headDelivered = false
    private var released = false

    init(request: UpstreamRequest, options: CurlUpstreamClient.Options, delegate: any UpstreamDelegate, engine: CurlEngine) {
        self.request = request
        self.options = options
        shared = Mutex((delegate, false))
        self.engine = engine
        easy = curl_easy_init()
        errorBuffer.initialize(to: 0)
    }

    deinit {
        if !released { free() }
        errorBuffer.deallocate()
    }

    func pause() { shared.withLock { $0.wantPause = true } }

    func resume() {
        shared.withLock { $0.wantPause = false }
        engine.resume(self)
    }

    func cancel() {
        let wasLive = shared.withLock { s -> Bool in
            defer { s.delegate = nil }
            return s.delegate != nil
        }
        if wasLive { engine.cancel(self) }
    }

    // MARK: curl thread

    /// Sets every option; returns the error when libcurl refuses one.
    func configure() -> CurlError? {
        var failure: CurlError?
        func check(_ code: CURLcode, _ what: String) { if code != CURLE_OK, failure == nil { failure = CurlError.setopt(code, what) } }
        check(ccurl_setopt_string(easy, CURLOPT_URL, request.url), "the URL \(request.url)")
        check(ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        check(ccurl_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)), "HTTP/2 over TLS")
        check(ccurl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "TCP_NODELAY")
        check(ccurl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "TCP keepalive")
        check(ccurl_setopt_long(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1), "SUPPRESS_CONNECT_HEADERS")
        check(ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds), "the connect timeout")
        check(ccurl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "the error buffer")
        if let ca = options.caFile { check(ccurl_setopt_string(easy, CURLOPT_CAINFO, ca), "the CA file \(ca)") }

        switch request.method {
        case "GET" where request.body.isEmpty:
            check(ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1), "GET")
        case "HEAD":
            check(ccurl_setopt_long(easy, CURLOPT_NOBODY, 1), "HEAD")
        default:
            check(ccurl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count), "the body size")
            if request.body.isEmpty {
                check(ccurl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, ""), "the body")
            } else {
                check(request.body.withUnsafeBytes { ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }, "the body")
            }
            if request.method != "POST" { check(ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "the method") }
        }

        // The client's headers as given; blank out the ones libcurl would otherwise invent.
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("accept") { lines.append("Accept:") }
        if !names.contains("content-type") { lines.append("Content-Type:") }
        lines.append("Expect:")
        for line in lines { headerList = curl_slist_append(headerList, line) }
        check(ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "the request headers")

        let me = Unmanaged.passUnretained(self).toOpaque()
        check(ccurl_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, { data, size, count, user in
            Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().onHeader(data!, size * count)
        }), "the header callback")
        check(ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, me), "the header data")
        check(ccurl_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, { data, size, count, user in
            Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue().onBody(data!, size * count)
        }), "the write callback")
        check(ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, me), "the write data")
        return failure
    }

    private func onHeader(_ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int {
        if headDelivered { return length }   // trailers
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        // "\r\n" is one Character in Swift: drop line-end scalars, not characters.
        var scalars = Substring(line).unicodeScalars
        while let last = scalars.last, last == "\r" || last == "\n" { scalars.removeLast() }
        let trimmed = String(scalars)
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headLines = []
        } else if trimmed.isEmpty {
            if status >= 200 || status == 101 || status == 0 {
                headDelivered = true
                let headers = headLines.compactMap { raw -> Header? in
                    guard let colon = raw.firstIndex(of: ":") else { return nil }
                    return Header(String(raw[..<colon]), raw[raw.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                currentDelegate()?.upstreamHead(status: status, headers: headers)
            }
            headLines = []
        } else {
            headLines.append(trimmed)
        }
        return length
    }

    private func onBody(_ data: UnsafeMutablePointer<CChar>, _ length: Int) -> Int {
        let (target, pause) = shared.withLock { ($0.delegate, $0.wantPause) }
        guard let target else { return length }      // cancelled: drop; the engine removes the handle next
        if pause {
            curlPaused = true
            return Int(CURL_WRITEFUNC_PAUSE)
        }
        target.upstreamChunk(Array(UnsafeRawBufferPointer(start: data, count: length)))
        return length
    }

    /// Unpauses when a write callback paused the transfer (libcurl then delivers the kept data again).
    func unpause() {
        guard curlPaused, !shared.withLock({ $0.wantPause }) else { return }
        curlPaused = false
        curl_easy_pause(easy, 0)   // CURLPAUSE_CONT
    }

    /// The transfer ended (engine thread, handle already removed from the multi handle).
    func complete(_ code: CURLcode) {
        let target = takeDelegate()
        free()
        if code == CURLE_OK {
            target?.upstreamEnd(nil)
        } else {
            target?.upstreamEnd(UpstreamFailure(CurlError.transfer(code, buffer: errorBuffer).description))
        }
    }

    /// Ends a transfer that never reached libcurl.
    func finishWithoutStarting(_ message: String) {
        takeDelegate()?.upstreamEnd(UpstreamFailure(message))
        free()
    }

    /// Ends a running transfer with a message of our own (shutdown).
    func abort(_ message: String) {
        takeDelegate()?.upstreamEnd(UpstreamFailure(message))
        free()
    }

    /// Frees the handle after a cancel.
    func release() { free() }

    private func currentDelegate() -> (any UpstreamDelegate)? { shared.withLock { $0.delegate } }

    private func takeDelegate() -> (any UpstreamDelegate)? {
        shared.withLock { s -> (any UpstreamDelegate)? in
            defer { s.delegate = nil }
            return s.delegate
        }
    }

    private func free() {
        guard !released else { return }
        released = true
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        headerList = nil
    }
}
