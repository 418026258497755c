/// Text made safe to print on a terminal: control characters from a capture (ESC, BEL, CR, C1
/// controls) would otherwise retitle the window, clear the screen or overwrite lines.
public enum TerminalSafe {
    /// `text` with every control character except newline and tab written as `\u001b` (the
    /// spelling JSON uses); text without one is returned as it is.
    public static func escaped(_ text: String) -> String {
        var probe = text
        let clean = probe.withUTF8 { buf in
            var i = 0
            while i < buf.count {
                if isControlByte(buf, at: i) { return false }
                i += 1
            }
            return true
        }
        if clean { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 16)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a scalar is a C0 control other than newline and tab, DEL, or a C1 control.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v < 0x20 && v != 0x0A && v != 0x09) || v == 0x7F || (0x80..<0xA0).contains(v)
    }

    /// The UTF-8 form of `isControl`: C1 controls are the two bytes C2 80…C2 9F.
    private static func isControlByte(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let b = buf[i]
        if b < 0x20 { return b != 0x0A && b != 0x09 }
        if b == 0x7F { return true }
        return b == 0xC2 && i + 1 < buf.count && (0x80..<0xA0).contains(buf[i + 1])
    }
}
