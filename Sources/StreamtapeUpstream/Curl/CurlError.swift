internal import CCurl

/// A libcurl failure, carrying libcurl's own message (`curl_easy_strerror`, `curl_multi_strerror`, or the
/// transfer's error buffer). See https://curl.se/libcurl/c/libcurl-errors.html.
struct CurlError: Error, CustomStringConvertible {
    /// The one-line message.
    let description: String

    /// A transfer result: the error buffer when libcurl filled it, else `curl_easy_strerror`.
    static func transfer(_ code: CURLcode, buffer: UnsafeMutablePointer<CChar>) -> CurlError {
        let detail = String(cString: buffer)
        return CurlError(description: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
    }

    /// A failed `curl_easy_setopt` of `what`.
    static func setopt(_ code: CURLcode, _ what: String) -> CurlError {
        CurlError(description: "cannot set \(what): " + String(cString: curl_easy_strerror(code)))
    }

    /// The failure of a `curl_multi_*` call named `call`, nil when `code` is `CURLM_OK`.
    static func multi(_ code: CURLMcode, _ call: String) -> CurlError? {
        code == CURLM_OK ? nil : CurlError(description: "libcurl \(call) failed: " + String(cString: curl_multi_strerror(code)))
    }
}
