// libFuzzer target: raw HTTP request bytes through the replay front end, in-process, no socket.
//
// The replay server's real pipeline (NIO's HTTP server handlers, `ClientLimitHandler`,
// `ReplayHTTPHandler`) on an `EmbeddedChannel`, over a catalog of the real captures in captures/ (those
// under 10 KB: building the catalog, every run, costs in proportion to the bytes).
// Input: see `ClientBytes`; control bit 0 picks instant or recorded pacing, bits 1–2 the match mode,
// bit 3 `--repeat`, bits 4–7 a fault applied to every response.
// Checked: no trap; what the client got is well-formed HTTP; after the client hangs up (and an hour
// of timers) nothing is left open: no connection counted.
import FuzzSupport
import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import StreamtapeCore
@testable import StreamtapeForwarding
@testable import StreamtapeReplay

/// The captures under 10 KB, read once.
private let captures: [Exchange] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("captures")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".tape.jsonl") }.sorted()
    let tapes = names.compactMap { name in
        (try? Data(contentsOf: folder.appendingPathComponent(name))).flatMap { $0.count < 10_000 ? try? Tape.decode([UInt8]($0)) : nil }
    }
    require(!tapes.isEmpty, "no captures in \(folder.path)")
    return tapes
}()

private let faults = ["", "rechunk=3", "rechunk=random:7", "cut@10", "stall@5=2", "status=503", "drop-terminator", "cut@0"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplayHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let input = ClientBytes(Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))) else { return 0 }
    let c = Int(input.control)
    let limits = ClientBytes.limits
    let modes = ReplayMatchMode.allCases
    var configuration = ReplayConfiguration(pacing: .init(instant: c & 1 != 0), match: modes[(c >> 1 & 3) % modes.count],
                                            repeats: c & 8 != 0, limits: limits)
    let fault = faults[(c >> 4) % faults.count]
    if !fault.isEmpty { configuration.faults = [try! FaultSpec(parsing: fault)] }
    // A fault that does not fit some capture fails at start, as with `streamtape replay`: serve without it.
    let catalog = (try? ReplayCatalog(exchanges: captures, configuration: configuration))
        ?? { configuration.faults = []; return try! ReplayCatalog(exchanges: captures, configuration: configuration) }()
    let connections = ConnectionCount(limit: limits.maxConnections)
    let channel = EmbeddedChannel()
    let log = MethodLog()
    try! channel.pipeline.syncOperations.configureHTTPServerPipeline(limits: limits, connections: connections)
    try! channel.pipeline.syncOperations.addHandlers([log, ReplayHTTPHandler(catalog: catalog)])
    try! channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()

    var output: [UInt8] = []
    for write in input.writes {
        _ = try? channel.writeInbound(ByteBuffer(bytes: write))
        channel.embeddedEventLoop.run()
        output += channel.clientOutput()
    }
    channel.embeddedEventLoop.advanceTime(by: input.wait)
    output += channel.clientOutput()
    channel.hangUp()
    output += channel.clientOutput()

    do {
        _ = try HTTPResponses.statuses(output, methods: log.methods.map(\.rawValue))
    } catch {
        fatalError("malformed response: \(error)\n\(String(decoding: output, as: UTF8.self).debugDescription)")
    }
    require(connections.current == 0, "a connection is still counted")
    return 0
}
