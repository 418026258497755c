internal import CBrotli

/// Undoes brotli (RFC 7932) through libbrotli's streaming decoder, a piece at a time, so a body past
/// the limit is refused when it gets there instead of being inflated whole.
enum BrotliDecoding {
    /// Why a brotli body did not decode.
    enum Failure: Error, Equatable {
        /// The stream is corrupt or cut short: libbrotli's error name, or what was wrong.
        case corrupt(String)
        /// The decoded body is larger than the limit.
        case tooLarge
    }

    /// The output piece each decoder call fills.
    private static let pieceBytes = 64 << 10

    /// The bytes `compressed` decodes to; more than `maxSize` of them is `.tooLarge`.
    static func decode(_ compressed: [UInt8], maxSize: Int) throws(Failure) -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw .corrupt("the decoder could not be created") }
        defer { BrotliDecoderDestroyInstance(state) }
        var out: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: pieceBytes)
        return try compressed.withUnsafeBufferPointer { input throws(Failure) in
            var nextIn = input.baseAddress
            var availableIn = input.count
            while true {
                var availableOut = pieceBytes
                let result = piece.withUnsafeMutableBufferPointer { buffer in
                    var nextOut = buffer.baseAddress
                    return BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                }
                out.append(contentsOf: piece[..<(pieceBytes - availableOut)])
                if out.count > maxSize { throw .tooLarge }
                switch result {
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                    continue
                case BROTLI_DECODER_RESULT_SUCCESS:
                    guard availableIn == 0 else { throw .corrupt("bytes after the end of the stream") }
                    return out
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                    throw .corrupt("the stream is cut short")
                default:
                    throw .corrupt("libbrotli: " + String(cString: BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state))))
                }
            }
        }
    }
}
