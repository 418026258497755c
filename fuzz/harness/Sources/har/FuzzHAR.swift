// libFuzzer target: the HAR reader (browser, mitmproxy and streamtape's own exports, `_streamtape`
// chunks) with the body decoding behind it (base64, gzip, deflate, br, the size limit).
//
// Input: the HAR file itself. A refused one must say why in one line; an accepted one, exported again
// with the core's `HAR.encode` (chunks and times in `_streamtape`), must read back as the same exchanges.
import FuzzSupport
import StreamtapeCore
import StreamtapeImport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHAR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    let first: [Exchange]
    do {
        first = try HARReader.read(input)
    } catch {
        require(!error.description.isEmpty && !error.description.contains("\n"), "not a one-line error: \(error.description)")
        return 0
    }
    let again: [Exchange]
    do {
        again = try HARReader.read(Array(HAR.encode(first, creatorVersion: "fuzz").utf8))
    } catch {
        fatalError("a HAR streamtape wrote does not read back: \(error)")
    }
    require(again.count == first.count, "\(first.count) exchanges came back as \(again.count)")
    for (a, b) in zip(first, again) {
        require(a.request == b.request && a.body == b.body && a.response?.status == b.response?.status,
                     "an exchange changed through the HAR writer:\n\(a)\n\(b)")
    }
    return 0
}
