import ArgumentParser
import NIOCore
import StreamtapeForwarding

/// `--max-body`, `--max-connections`, `--header-timeout`, `--body-timeout`, `--idle-timeout`: the client limits a user may
/// need to raise, shared by `record` and `replay`. The others (target 8 KiB → 414, head 64 KiB or 256
/// fields → 431) are fixed; the README lists them all.
struct ClientLimitOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Largest request body accepted, in MiB; a bigger one gets 413.", valueName: "MiB"))
    var maxBody: Int = ClientLimits().maxBody >> 20

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Most client connections open at once; one more gets 503 with retry-after.", valueName: "n"))
    var maxConnections: Int = ClientLimits().maxConnections

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seconds a request head may take once it started arriving; then 408 and close.", valueName: "seconds"))
    var headerTimeout: Double = 10

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seconds a request body may take once its head arrived; then 408 and close.", valueName: "seconds"))
    var bodyTimeout: Double = 60

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seconds a connection may wait for its next request; then it is closed.", valueName: "seconds"))
    var idleTimeout: Double = 60

    func validate() throws {
        guard maxBody > 0, maxBody <= 1 << 20 else { throw ValidationError("--max-body must be 1 to 1048576 MiB, got \(maxBody)") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be 1 or more, got \(maxConnections)") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(name) must be more than 0 and at most 86400 seconds, got \(ReplayCommand.shown(value))")
        }
    }

    /// The limits these options give, the fixed ones at their defaults.
    var limits: ClientLimits {
        ClientLimits(maxBody: maxBody << 20, headerTimeout: .nanoseconds(Int64(headerTimeout * 1e9)),
                     bodyTimeout: .nanoseconds(Int64(bodyTimeout * 1e9)), idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)), maxConnections: maxConnections)
    }
}
