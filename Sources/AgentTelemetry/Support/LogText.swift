/// Makes text that came from a peer (a collector's message, a response body, a header, an error
/// that quotes either) safe to put in a log line.
///
/// A peer controls these bytes, so without care one could forge a separate log line with a
/// newline, recolour or clear a terminal with ANSI escapes, or flood the log with one 100 KB
/// line. Every such string goes through ``escaped(_:limit:)`` before it reaches a logger.
package enum LogText {
    /// The most bytes of peer-supplied text a log line carries (before the truncation note).
    package static let defaultLimit = 512

    /// `text` on one line: control characters (C0, DEL, C1, and the Unicode line and paragraph
    /// separators) written as escapes (`\n`, `\r`, `\t`, `\u{1B}`), backslashes doubled so an
    /// escape cannot be forged, and cut after `limit` bytes at a character boundary with
    /// `…(cut; N bytes in all)`. Cost: one pass over the shown part plus a count of the rest.
    package static func escaped<S: StringProtocol>(_ text: S, limit: Int = defaultLimit) -> String {
        escaped(scalars: text.unicodeScalars, totalBytes: text.utf8.count, limit: limit)
    }

    /// `bytes` decoded as UTF-8 (invalid sequences become U+FFFD) and escaped as above; the
    /// note counts the bytes received.
    package static func escaped(bytes: some Collection<UInt8>, limit: Int = defaultLimit) -> String {
        // Each shown byte needs at most four input bytes (an escape is never shorter than its input).
        let text = String(decoding: bytes.prefix(limit &* 4), as: UTF8.self)
        return escaped(scalars: text.unicodeScalars, totalBytes: bytes.count, limit: limit)
    }

    private static func escaped(scalars: some Sequence<Unicode.Scalar>, totalBytes: Int, limit: Int) -> String {
        var out = ""
        out.reserveCapacity(min(totalBytes, limit) + 24)
        var written = 0
        var cut = false
        for scalar in scalars {
            let piece: String
            switch scalar.value {
            case 0x0A: piece = "\\n"
            case 0x0D: piece = "\\r"
            case 0x09: piece = "\\t"
            case 0x5C: piece = "\\\\"
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
                piece = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: piece = String(scalar)
            }
            let size = piece.utf8.count
            if written &+ size > limit {
                cut = true
                break
            }
            out += piece
            written &+= size
        }
        if cut || (written < totalBytes && totalBytes > limit) { out += "…(cut; \(totalBytes) bytes in all)" }
        return out
    }
}
