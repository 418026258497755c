// libFuzzer target: the cassette reader (vcrpy YAML and JSON, the old httpx layout, the parsed_body
// variant) with the body decoding behind it (gzip, deflate, br, the size limit).
//
// Input: the cassette file itself. A refused one must say why in one line; an accepted one must come
// back as the same exchanges through `CassetteWriter` and the reader (as RoundTripTests checks for
// the fixtures): a cassette holds no times, so start (to the second, from `Date`) and offsets are left out.
import FuzzSupport
import StreamtapeCore
import StreamtapeImport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCassette(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    let first: [Exchange]
    do {
        first = try CassetteReader.read(input)
    } catch {
        require(!error.description.isEmpty && !error.description.contains("\n"), "not a one-line error: \(error.description)")
        return 0
    }
    let again: [Exchange]
    do {
        again = try CassetteReader.read(Array(CassetteWriter.encode(first).utf8))
    } catch {
        fatalError("a cassette streamtape wrote does not read back: \(error)")
    }
    require(again.count == first.count, "\(first.count) exchanges came back as \(again.count)")
    for (a, b) in zip(first, again) {
        var a = a
        a.startedMs = a.response?.headers.value(for: "date") == nil ? 0 : a.startedMs - a.startedMs % 1000
        require(a == b, "an exchange changed through the cassette writer:\n\(a)\n\(b)")
    }
    return 0
}
