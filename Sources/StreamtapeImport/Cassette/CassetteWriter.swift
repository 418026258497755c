import Foundation
import NIOHTTP1
import StreamtapeCore

/// Writes exchanges as a vcrpy cassette (format version 1) that vcrpy's safe loader reads and its
/// stubs replay: header values as lists, `status` with an ASCII `message`, the request with exactly
/// `body`, `headers`, `method` and `uri`.
///
/// Every string is an ASCII double-quoted scalar (YAML escapes for line breaks and non-ASCII), so the
/// bytes survive YAML's line-break normalisation and a loader in any locale; a body that is not UTF-8
/// text is `!!binary`. Chunk times are not part of the format: the whole body is one string.
public enum CassetteWriter {
    /// The cassette text for `exchanges`, in order.
    public static func encode(_ exchanges: [Exchange]) -> String {
        var out = "interactions:\n"
        for e in exchanges {
            out += "- request:\n"
            out += "    body: " + (e.request.body.isEmpty ? "null" : bytes(e.request.body, indent: 6)) + "\n"
            out += "    headers:" + headers(e.request.headers, indent: 6)
            out += "    method: " + quoted(e.request.method) + "\n"
            out += "    uri: " + quoted(e.upstream + e.request.target) + "\n"
            out += "  response:\n"
            out += "    body:\n      string: " + bytes(e.body, indent: 8) + "\n"
            out += "    headers:" + headers(e.response?.headers ?? [], indent: 6)
            let status = e.response?.status ?? 502
            out += "    status:\n      code: \(status)\n"
            out += "      message: " + quoted(HTTPResponseStatus(statusCode: status).reasonPhrase) + "\n"
        }
        return out + "version: 1\n"
    }

    /// Headers as `name: [values]`, grouped by name (case-insensitively, first spelling kept) in first-seen order.
    private static func headers(_ headers: [Header], indent: Int) -> String {
        var order: [String] = []
        var values: [String: (name: String, values: [String])] = [:]
        for h in headers {
            let key = h.name.lowercased()
            if values[key] == nil { order.append(key); values[key] = (h.name, []) }
            values[key]?.values.append(h.value)
        }
        if order.isEmpty { return " {}\n" }
        let pad = String(repeating: " ", count: indent)
        return "\n" + order.map { key in
            let v = values[key]!
            return pad + quoted(v.name) + ":\n" + v.values.map { pad + "- " + quoted($0) + "\n" }.joined()
        }.joined()
    }

    /// UTF-8 text without C0 controls (other than tab and LF), DEL or YAML's other line breaks is a
    /// quoted string; anything else is `!!binary`, base64 in lines of 76.
    private static func bytes(_ b: [UInt8], indent: Int) -> String {
        if let s = String(validating: b, as: UTF8.self),
           !s.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F
                                                || [0x85, 0x2028, 0x2029, 0xFEFF].contains($0.value) }) {
            return quoted(s)
        }
        let b64 = Data(b).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let pad = String(repeating: " ", count: indent)
        return "!!binary |\n" + b64.split(separator: "\n").map { pad + $0 }.joined(separator: "\n")
    }

    /// A YAML double-quoted scalar in ASCII.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case " "..."~": out.unicodeScalars.append(u)
            default: out += u.value <= 0xFFFF ? "\\u" + hex(u.value, 4) : "\\U" + hex(u.value, 8)
            }
        }
        return out + "\""
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: width - h.count) + h
    }
}
