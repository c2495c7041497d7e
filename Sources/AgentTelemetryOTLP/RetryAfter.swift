/// Parses the HTTP `Retry-After` header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
enum RetryAfter {
    /// The delay the header asks for, measured from `nowSeconds` (Unix time); `nil` when the
    /// header is malformed. A date in the past means no delay.
    static func delay(_ header: String, nowSeconds: Double) -> Duration? {
        let text = header.trimmingSpaces
        if let seconds = UInt64(text) { return .seconds(min(seconds, 86_400)) }
        guard let date = httpDate(text) else { return nil }
        let wait = max(0, Double(date) - nowSeconds)
        return .milliseconds(Int64(min(wait, 86_400) * 1000))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Unix seconds of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime (`Sun Nov  6 08:49:37 1994`).
    static func httpDate(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "," }).map { String($0).lowercased() }
        var day: Int?, month: Int?, year: Int?, clock: [Int]?
        for p in parts {
            if p.contains(":") {
                let c = p.split(separator: ":").compactMap { Int($0) }
                guard c.count == 3 else { return nil }
                clock = c
            } else if let m = months.firstIndex(of: p) {
                month = m + 1
            } else if let n = Int(p) {
                if day == nil, p.count <= 2 { day = n } else { year = n }
            }
        }
        guard let d = day, let m = month, var y = year, let c = clock,
              (1...31).contains(d), (0...23).contains(c[0]), (0...59).contains(c[1]), (0...60).contains(c[2]) else { return nil }
        if y < 100 { y += y < 70 ? 2000 : 1900 }
        return daysFromCivil(year: y, month: m, day: d) * 86_400 + Int64(c[0] * 3600 + c[1] * 60 + c[2])
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-date algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
