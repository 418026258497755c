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
    /// Why the multi handle cannot run transfers, when setting it up failed: each new one ends with it.
    private var setupFailure: CurlError?

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() {
        _ = Self.globalInit
        multi = curl_multi_init()
        #if os(Linux)
        setupFailure = poller.attach(to: multi)
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
        let woken = curl_multi_wakeup(multi)
        assert(woken == CURLM_OK, "curl_multi_wakeup: \(woken)")   // fails only for a bad handle
        #endif
    }

    private func run() {
        while true {
            guard runCommands() else { return }
            #if os(Linux)
            if let error = poller.wait(multi) { failRunning(error) }
            #else
            var stillRunning: Int32 = 0
            if let error = CurlError.multi(curl_multi_perform(multi, &stillRunning), "perform") { failRunning(error) }
            #endif
            collectFinished()
            #if !os(Linux)
            if let error = CurlError.multi(curl_multi_poll(multi, nil, 0, 1000, nil), "poll") { failRunning(error) }
            #endif
        }
    }

    /// Executes queued commands; false once told to stop.
    private func runCommands() -> Bool {
        let batch = queue.withLock { q -> [Command] in defer { q.commands.removeAll(keepingCapacity: true) }; return q.commands }
        for command in batch {
            switch command {
            case .add(let t):
                if let error = t.configure() ?? setupFailure ?? CurlError.multi(curl_multi_add_handle(multi, t.easy), "add_handle") {
                    t.finishWithoutStarting(error.description)
                    continue
                }
                running[t.easy] = t
            case .resume(let t):
                // Identity checks: a freed handle's address can be reused by a newer transfer.
                if running[t.easy] === t { t.unpause() }
            case .cancel(let t):
                if running[t.easy] === t {
                    running.removeValue(forKey: t.easy)
                    removeHandle(t.easy)
                    t.release()
                }
            case .stop:
                for (easy, t) in running { removeHandle(easy); t.abort("streamtape is shutting down") }
                running.removeAll()
                _ = curl_multi_cleanup(multi)   // nothing is left to tell about a failure: the thread ends
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
            removeHandle(easy)
            running.removeValue(forKey: easy)?.complete(code)
        }
    }

    /// Takes a handle out of the multi handle. It fails only for a handle not in it (already out), which
    /// leaves nothing to undo, so the code is checked by `assert` alone.
    private func removeHandle(_ easy: UnsafeMutableRawPointer) {
        let code = curl_multi_remove_handle(multi, easy)
        assert(code == CURLM_OK, "curl_multi_remove_handle: \(code)")
    }

    /// Ends every running transfer with `error`: the multi handle cannot drive them any more.
    private func failRunning(_ error: CurlError) {
        for (easy, t) in running { removeHandle(easy); t.abort(error.description) }
        running.removeAll()
    }
}
