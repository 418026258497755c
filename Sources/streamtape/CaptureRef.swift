/// What a SOURCE argument names: an exchange id in the archive, or a capture file.
enum CaptureRef {
    case archived(Int64)
    case file(String)

    /// Reads `SOURCE`: all digits is an archive id, anything else a path.
    init(_ text: String) {
        if let id = Int64(text), !text.isEmpty, text.allSatisfy(\.isNumber) { self = .archived(id) } else { self = .file(text) }
    }
}
