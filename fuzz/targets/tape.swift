// libFuzzer target: bytes → Tape.decode; an accepted tape must survive encode → decode unchanged (the tape
// is lossless; tags are a set and come back sorted), export to HAR as valid JSON, and go through the full analysis.
// Compiled together with Sources/StreamtapeCore by fuzz/run.sh.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTape(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let exchange = try? Tape.decode(input) else { return 0 }
    let again: Exchange
    do { again = try Tape.decode(Array(Tape.encode(exchange).utf8)) } catch {
        preconditionFailure("a decoded tape does not decode after encoding: \(error)")
    }
    // Tags are a set, written sorted; everything else must come back exactly.
    var sorted = exchange
    sorted.tags.sort()
    precondition(again == sorted, "a decoded tape changed after encode and decode")
    let har = HAR.encode([exchange], creatorVersion: "fuzz")
    precondition((try? JSONSerialization.jsonObject(with: Data(har.utf8))) != nil, "HAR export is not JSON")
    _ = Analysis.analyze(exchange)
    return 0
}
