// libFuzzer target: the replay matcher and the request canonicaliser.
//
// Input layout: byte 0 picks the match mode; the rest splits at 0x00 bytes into parts: the first is a
// comma-separated list of ignored field paths, each following part is a request "METHOD TARGET\nBODY".
// All requests but the last are recorded; each recorded one and the last are then matched.
// Compiled together with Sources/StreamtapeCore by fuzz/run.sh.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplay(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = input.first else { return 0 }
    let modes = ReplayMatchMode.allCases
    let mode = modes[Int(first) % modes.count]
    let parts = input.dropFirst().split(separator: 0, omittingEmptySubsequences: false)
    let ignore = String(decoding: parts.first ?? [], as: UTF8.self).split(separator: ",").map(String.init)
    let requests = parts.dropFirst().map(request)

    for (_, _, body) in requests {
        guard let json = JSONValue.parse(body) else { continue }
        // The canonical form is JSON, and canonical again when read back.
        guard let reread = JSONValue.parse(Array(json.canonical.utf8)) else {
            preconditionFailure("canonical form does not parse: \(json.canonical)")
        }
        precondition(reread.canonical == json.canonical, "canonical form is not stable")
        _ = json.removing(fields: ignore).differences(from: json)
    }
    guard requests.count >= 2 else { return 0 }
    let recorded = requests.dropLast().map { m, t, b in
        Exchange(startedMs: 0, request: CapturedRequest(method: m, target: t, body: b))
    }
    var matcher = ReplayMatcher(exchanges: recorded, mode: mode, ignoreFields: ignore)
    for (m, t, b) in requests { _ = matcher.match(method: m, target: t, body: b) }
    matcher.reset()
    matcher.append(recorded[0])
    // After a reset every recorded request finds an exchange again: its own or an earlier identical one.
    for (m, t, b) in requests.dropLast() {
        guard case .success = matcher.match(method: m, target: t, body: b) else {
            preconditionFailure("a recorded request found no exchange after reset")
        }
    }
    return 0
}

/// "METHOD TARGET\nBODY" → its three parts.
private func request(_ part: ArraySlice<UInt8>) -> (String, String, [UInt8]) {
    let lines = part.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
    let line = String(decoding: lines.first ?? [], as: UTF8.self).split(separator: " ", maxSplits: 1)
    let method = line.first.map(String.init) ?? ""
    let target = line.count > 1 ? String(line[1]) : ""
    return (method, target, lines.count > 1 ? Array(lines[1]) : [])
}
