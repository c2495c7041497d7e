import Foundation

/// File names for `--format all`: one file per format with a timestamp, derived from `--output`.
package enum ReportFileNames {
    /// `dir/report.md` at 2026-11-25T09:15:00Z → `dir/report-20261125T091500Z` (extension dropped).
    package static func base(_ output: String, generatedAt: Date) -> String {
        let url = URL(fileURLWithPath: output)
        let stem = url.deletingPathExtension().lastPathComponent
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: generatedAt)
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        let name = "\(stem)-\(stamp)"
        guard let slash = output.lastIndex(of: "/") else { return name }
        return String(output[...slash]) + name
    }
}
