/// Text helpers shared by every configuration section: trimming, "did you mean" suggestions and
/// masking of secrets, so that each rule exists once (the core module does without Foundation).
package enum ConfigurationText {
    /// What every secret prints as.
    package static let mask = "***"

    /// `text` without leading and trailing spaces and tabs.
    package static func trimmed<S: StringProtocol>(_ text: S) -> String {
        var s = Substring(text)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }

    /// The longest host name DNS allows (RFC 1035: 253 characters written out).
    package static let maximumHostLength = 253

    /// Why `host` cannot be a host name or an IP address (a space, a control character, a
    /// character no name or address has, or too long); nil when it can. Says nothing of whether
    /// the name resolves. Cost: one scan.
    package static func hostProblem(_ host: String) -> String? {
        if host.utf8.count > maximumHostLength { return "is longer than the \(maximumHostLength) characters a host name may have" }
        for scalar in host.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { return "contains a control character (a line break?)" }
            if scalar == " " || scalar == "\t" { return "contains a space" }
            if "/?#@\\\"'<>`{}|^".unicodeScalars.contains(scalar) {
                return "contains \"\(scalar)\", which no host name or address has"
            }
        }
        return nil
    }

    /// The candidate closest to `name` by edit distance, when close enough to be a likely typo.
    /// Cost: O(|name| × |candidate|) per candidate.
    package static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let d = editDistance(name, candidate)
            if d <= max(2, min(3, candidate.count / 3)), d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// `; did you mean "x"?` for the closest candidate, else `; known keys here: a, b, c`
    /// (`noun` names what the candidates are).
    package static func suggestion(for name: String, among candidates: [String], noun: String = "known keys here") -> String {
        if let s = closest(to: name, among: candidates) { return "; did you mean \"\(s)\"?" }
        guard !candidates.isEmpty else { return "" }
        return "; \(noun): " + candidates.sorted().joined(separator: ", ")
    }

    /// Levenshtein distance between two strings, by characters.
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// `text` with the credentials of every URL in it (`scheme://user:password@host`) replaced by
    /// `***` (`scheme://***@host`). With `isURL`, a text without `scheme://` is treated as the start
    /// of a URL too (`user:password@host:4318` → `***@host:4318`). The user name is masked as well:
    /// some services put the token there. Cost: one scan of the text.
    package static func maskingCredentials(in text: String, isURL: Bool = false) -> String {
        var utf8 = Array(text.utf8)
        var searchFrom = 0
        var authorityStarts: [Int] = []
        if isURL && !text.contains("://") { authorityStarts.append(0) }
        while let r = firstIndex(of: Array("://".utf8), in: utf8, from: searchFrom) {
            authorityStarts.append(r + 3)
            searchFrom = r + 3
        }
        // Work from the last URL backwards so earlier offsets stay valid.
        for start in authorityStarts.reversed() {
            var end = start
            while end < utf8.count, !"/?# \t\r\n\"'<>".utf8.contains(utf8[end]) { end += 1 }
            guard let at = utf8[start..<end].lastIndex(of: UInt8(ascii: "@")) else { continue }
            utf8.replaceSubrange(start..<at, with: Array(mask.utf8))
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// A value quoted for a message: credentials in URLs masked, long values shortened (a message
    /// should name the mistake, not reproduce the input).
    package static func quotedForMessage(_ value: String) -> String {
        var v = maskingCredentials(in: value)
        if v.count > 80 { v = String(v.prefix(60)) + "…" }
        var out = "\""
        for scalar in v.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
