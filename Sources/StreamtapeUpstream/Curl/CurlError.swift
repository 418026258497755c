internal import CCurl

/// A libcurl failure, carrying libcurl's own message.
enum CurlError {
    /// The text for a transfer result: the error buffer when libcurl filled it, else `curl_easy_strerror`.
    static func text(_ code: CURLcode, buffer: UnsafeMutablePointer<CChar>) -> String {
        let detail = String(cString: buffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    /// A failure described by streamtape rather than libcurl.
    static func message(_ text: String) -> String { text }

    /// The text for a failed `curl_easy_setopt`.
    static func setopt(_ code: CURLcode, _ what: String) -> String {
        "cannot set \(what): " + String(cString: curl_easy_strerror(code))
    }
}
