import Foundation

/// Shared text formatting of report values and dates.
enum ReportFormatting {
    /// `2026-11-25T09:15:00Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// A plain machine-readable number: integers without a fraction, others in Swift's shortest form.
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.0f", value) }
        return "\(value)"
    }

    /// A readable value with its unit, as Markdown shows it.
    static func readable(_ value: Double, _ unit: ReportUnit) -> String {
        switch unit {
        case .milliseconds: String(format: "%.1f ms", value)
        case .percent: String(format: "%.1f %%", value)
        case .tokens: String(format: "%.0f tokens", value)
        case .usd: String(format: "%.4f USD", value)
        case .mebibytes: String(format: "%.1f MiB", value)
        case .seconds: String(format: "%.2f s", value)
        case .count: value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.2f", value)
        }
    }
}
