/// Numbers as the two formats spell them, read exactly (correctly rounded, `-0` kept).
enum ExpositionNumber {
    /// A sample value: a decimal float (`1`, `-0`, `1.5e-300`, `.5`), or `+Inf`/`-Inf`/`Inf`/`Infinity`
    /// and `NaN` in any letter case (OpenMetrics' grammar, and what Go's `ParseFloat` accepts in 0.0.4
    /// apart from hexadecimal floats, which no client writes).
    static func value(_ text: Substring) -> Double? {
        var body = text
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return text.first == "+" || text.first == "-" ? nil : .nan
        default: break
        }
        guard isDecimal(body) else { return nil }
        return Double(text)
    }

    /// `[sign] (digits [. digits] | . digits) [e [sign] digits]`, the sign already removed.
    static func isDecimal(_ text: Substring) -> Bool {
        var i = text.startIndex
        func digits() -> Int {
            var n = 0
            while i < text.endIndex, let a = text[i].asciiValue, a >= 48, a <= 57 { i = text.index(after: i); n += 1 }
            return n
        }
        var mantissa = digits()
        if i < text.endIndex, text[i] == "." {
            i = text.index(after: i)
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i < text.endIndex, text[i] == "e" || text[i] == "E" {
            i = text.index(after: i)
            if i < text.endIndex, text[i] == "+" || text[i] == "-" { i = text.index(after: i) }
            guard digits() > 0 else { return false }
        }
        return i == text.endIndex
    }

    /// An OpenMetrics timestamp: a decimal float of seconds (not `Inf` or `NaN`).
    static func seconds(_ text: Substring) -> Double? {
        var body = text
        if let sign = body.first, sign == "+" || sign == "-" { body = body.dropFirst() }
        guard isDecimal(body), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A 0.0.4 timestamp: a signed 64-bit integer of milliseconds.
    static func milliseconds(_ text: Substring) -> Int64? { Int64(text) }
}
