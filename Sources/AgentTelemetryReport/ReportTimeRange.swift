/// The window of a report from Prometheus: `15m`, `1h`, `24h`, `7d` and the like.
package struct ReportTimeRange: Sendable, Hashable, CustomStringConvertible {
    /// The length in seconds.
    package let seconds: Int
    /// The text as given, which is also a valid PromQL range (`1h`).
    package let text: String

    /// Parses `<number><s|m|h|d|w>`; `nil` when the text is not such a duration or is zero.
    package init?(_ text: String) {
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
        let factor: Int
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86_400
        case "w": factor = 604_800
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        self.seconds = product
        self.text = text
    }

    package var description: String { text }
}
