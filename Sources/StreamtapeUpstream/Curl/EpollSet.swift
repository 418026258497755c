#if os(Linux)
internal import CCurl
import Glibc


/// The curl thread's epoll set: libcurl tells it which sockets to watch (socket callback) and when to
/// time out (timer callback); `wait` then hands ready sockets back with `curl_multi_socket_action`.
/// An eventfd in the same set wakes the thread when other threads queue commands.
final class EpollSet: @unchecked Sendable {
    private let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
    private let wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
    private var watched = Set<Int32>()
    private var timerDeadlineNs: UInt64?
    private var events = [epoll_event](repeating: epoll_event(), count: 256)

    init() {
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.fd = wakeFD
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeFD, &ev)
    }

    deinit {
        close(epoll)
        close(wakeFD)
    }

    /// Installs the socket and timer callbacks on the multi handle; the error when libcurl refuses one.
    func attach(to multi: UnsafeMutableRawPointer) -> CurlError? {
        let me = Unmanaged.passUnretained(self).toOpaque()
        return CurlError.multi(ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me), "setopt SOCKETDATA")
            ?? CurlError.multi(ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me), "setopt TIMERDATA")
            ?? CurlError.multi(ccurl_multi_setopt_socket_callback(multi) { _, socket, what, user, _ in
                Unmanaged<EpollSet>.fromOpaque(user!).takeUnretainedValue().watch(socket, what)
                return 0
            }, "setopt SOCKETFUNCTION")
            ?? CurlError.multi(ccurl_multi_setopt_timer_callback(multi) { _, timeoutMs, user in
                Unmanaged<EpollSet>.fromOpaque(user!).takeUnretainedValue().setTimer(timeoutMs)
                return 0
            }, "setopt TIMERFUNCTION")
    }

    /// Wakes the thread from `wait` (any thread).
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Waits for ready sockets, the timer or a wake-up, and lets libcurl act on what happened; the
    /// first failure of `curl_multi_socket_action`, if any.
    func wait(_ multi: UnsafeMutableRawPointer) -> CurlError? {
        var failure: CurlError?
        var timeout: Int32 = 1000
        if let deadline = timerDeadlineNs {
            let now = Self.now()
            timeout = deadline <= now ? 0 : Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
        }
        let n = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout) }
        var stillRunning: Int32 = 0
        if n > 0 {
            for i in 0..<Int(n) {
                let fd = events[i].data.fd
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    continue
                }
                let e = events[i].events
                var mask: Int32 = 0
                if e & EPOLLIN.rawValue != 0 { mask |= CURL_CSELECT_IN }
                if e & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
                if e & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { mask |= CURL_CSELECT_ERR }
                failure = failure ?? CurlError.multi(curl_multi_socket_action(multi, fd, mask, &stillRunning), "socket_action")
            }
        }
        if let deadline = timerDeadlineNs, deadline <= Self.now() {
            timerDeadlineNs = nil
            failure = failure ?? CurlError.multi(curl_multi_socket_action(multi, -1 /* CURL_SOCKET_TIMEOUT */, 0, &stillRunning), "socket_action")
        }
        return failure
    }

    private func watch(_ fd: Int32, _ what: Int32) {
        if what == CURL_POLL_REMOVE {
            if watched.remove(fd) != nil { epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil) }
            return
        }
        var ev = epoll_event()
        ev.events = (what & CURL_POLL_IN != 0 ? EPOLLIN.rawValue : 0) | (what & CURL_POLL_OUT != 0 ? EPOLLOUT.rawValue : 0)
        ev.data.fd = fd
        if watched.insert(fd).inserted {
            if epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev) != 0 && errno == EEXIST { epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &ev) }
        } else {
            epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &ev)
        }
    }

    private func setTimer(_ timeoutMs: Int) {
        timerDeadlineNs = timeoutMs < 0 ? nil : Self.now() + UInt64(timeoutMs) * 1_000_000
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
#endif
