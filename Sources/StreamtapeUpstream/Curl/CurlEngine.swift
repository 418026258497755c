internal import CCurl
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One curl multi handle and the thread that drives it. Every libcurl call on a handle happens on
/// that thread; other threads talk to it through a locked command queue and a wake-up.
///
/// On Linux the thread runs libcurl's event-driven API (`curl_multi_socket_action`) over its own
/// epoll set, so each wake-up touches only the sockets that are ready: with a thousand streams open,
/// `curl_multi_perform` would walk every transfer on every chunk.
final class CurlEngine: @unchecked Sendable {
    private enum Command { case add(CurlTransfer), resume(CurlTransfer), cancel(CurlTransfer), stop }

    let multi: UnsafeMutableRawPointer
    /// Commands queued for the engine thread, and whether `shutdown` began.
    private let queue = Mutex<(commands: [Command], isStopped: Bool)>(([], false))
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]   // engine thread only
    private let stopped = DispatchSemaphore(value: 0)
    #if os(Linux)
    private let poller = EpollSet()
    #endif

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    /// The libcurl version line.
    static var version: String { _ = globalInit; return String(cString: curl_version()) }

    init() {
        _ = Self.globalInit
        multi = curl_multi_init()
        #if os(Linux)
        poller.attach(to: multi)
        #endif
        let thread = Thread { [self] in run() }
        thread.name = "streamtape-curl"
        thread.start()
    }

    /// Queues a new transfer.
    func add(_ transfer: CurlTransfer) { submit(.add(transfer)) }
    /// Queues an unpause.
    func resume(_ transfer: CurlTransfer) { submit(.resume(transfer)) }
    /// Queues an abort.
    func cancel(_ transfer: CurlTransfer) { submit(.cancel(transfer)) }

    /// Aborts every transfer and ends the thread; waits for it.
    func shutdown() {
        let already = queue.withLock { q -> Bool in defer { q.isStopped = true }; return q.isStopped }
        if already { return }
        submit(.stop, force: true)
        stopped.wait()
    }

    private func submit(_ command: Command, force: Bool = false) {
        let accepted = queue.withLock { q -> Bool in
            if q.isStopped && !force { return false }
            q.commands.append(command)
            return true
        }
        guard accepted else {
            if case .add(let t) = command { t.finishWithoutStarting("streamtape is shutting down") }
            return
        }
        #if os(Linux)
        poller.wake()
        #else
        curl_multi_wakeup(multi)
        #endif
    }

    private func run() {
        while true {
            guard runCommands() else { return }
            #if os(Linux)
            poller.wait(multi)
            #else
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            #endif
            collectFinished()
            #if !os(Linux)
            curl_multi_poll(multi, nil, 0, 1000, nil)
            #endif
        }
    }

    /// Executes queued commands; false once told to stop.
    private func runCommands() -> Bool {
        let batch = queue.withLock { q -> [Command] in defer { q.commands.removeAll(keepingCapacity: true) }; return q.commands }
        for command in batch {
            switch command {
            case .add(let t):
                if let error = t.configure() { t.finishWithoutStarting(error); continue }
                running[t.easy] = t
                curl_multi_add_handle(multi, t.easy)
            case .resume(let t):
                // Identity checks: a freed handle's address can be reused by a newer transfer.
                if running[t.easy] === t { t.unpause() }
            case .cancel(let t):
                if running[t.easy] === t {
                    running.removeValue(forKey: t.easy)
                    curl_multi_remove_handle(multi, t.easy)
                    t.release()
                }
            case .stop:
                for (easy, t) in running { curl_multi_remove_handle(multi, easy); t.abort("streamtape is shutting down") }
                running.removeAll()
                curl_multi_cleanup(multi)
                stopped.signal()
                return false
            }
        }
        return true
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            running.removeValue(forKey: easy)?.complete(code)
        }
    }
}
