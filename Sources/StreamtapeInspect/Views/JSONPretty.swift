import Foundation
import StreamtapeCore

/// Pretty-prints JSON text keeping its key order (re-indenting the text itself, after checking it
/// parses), so the detail pane shows the object as the provider wrote it.
public enum JSONPretty {
    /// Indented lines, or nil when `text` is not a JSON object or array.
    public static func lines(_ text: String) -> [String]? {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        guard let first = trimmed.first, first == "{" || first == "[",
              JSONValue.parse(text) != nil else { return nil }
        var out: [String] = []
        var line = ""
        var depth = 0
        var inString = false, escaped = false
        func newline() { out.append(line); line = String(repeating: "  ", count: max(0, depth)) }
        let chars = Array(trimmed)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inString {
                line.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                i += 1; continue
            }
            switch c {
            case "\"": inString = true; line.append(c)
            case "{", "[":
                // Keep empty containers on one line.
                var j = i + 1
                while j < chars.count, chars[j] == " " || chars[j] == "\n" || chars[j] == "\r" || chars[j] == "\t" { j += 1 }
                if j < chars.count, chars[j] == (c == "{" ? "}" : "]") {
                    line += c == "{" ? "{}" : "[]"; i = j + 1; continue
                }
                line.append(c); depth += 1; newline()
            case "}", "]":
                depth -= 1
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { newline() } else { line = String(repeating: "  ", count: max(0, depth)) }
                line.append(c)
            case ",": line.append(c); newline()
            case ":": line += ": "
            case " ", "\n", "\r", "\t": break
            default: line.append(c)
            }
            i += 1
        }
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { out.append(line) }
        return out
    }
}
