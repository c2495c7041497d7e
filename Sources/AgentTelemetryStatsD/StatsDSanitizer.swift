/// Replaces the bytes that would break a StatsD line with `_`.
///
/// Replaced in names, tag keys and tag values: `:` `|` `@` `#` `,` `=`, space, and every control
/// character (0x00–0x1F, including `\n` and `\r`, and 0x7F). Other bytes, UTF-8 included, pass
/// through. Cost: one pass over the UTF-8 bytes, no allocation beyond the output buffer.
public enum StatsDSanitizer {
    /// The replacement byte, `_`.
    public static let replacement = UInt8(ascii: "_")

    /// Whether `byte` would break a line and must be replaced.
    @inlinable
    public static func mustReplace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x20, 0x7F: return true  // control characters and space
        case UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: "@"), UInt8(ascii: "#"),
            UInt8(ascii: ","), UInt8(ascii: "="):
            return true
        default: return false
        }
    }

    /// Appends `text` sanitised; when `replacingDots` is set, `.` is replaced too (etsy name
    /// segments made from label values, where a dot would add a level to the hierarchy).
    @inlinable
    public static func append(_ text: String, replacingDots: Bool = false, to out: inout [UInt8]) {
        for byte in text.utf8 {
            if mustReplace(byte) || (replacingDots && byte == UInt8(ascii: ".")) {
                out.append(replacement)
            } else {
                out.append(byte)
            }
        }
    }

    /// `text` sanitised, as a string (for tests and diagnostics).
    public static func sanitized(_ text: String, replacingDots: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        append(text, replacingDots: replacingDots, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
