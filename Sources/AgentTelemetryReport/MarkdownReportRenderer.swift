/// Renders a report as Markdown: a header table, the firing alerts and one table per section
/// with units (ms, %, tokens, USD, MiB, s). Missing values show as "—".
package enum MarkdownReportRenderer {
    /// The missing-value mark.
    package static let missing = "—"

    /// The Markdown text, ending with a newline.
    package static func render(_ report: Report) -> String {
        var out = "# Agent telemetry report\n\n"
        out += "| Field | Value |\n|---|---|\n"
        let h = report.header
        out += "| Source | \(cell(h.sourceKind + ": " + h.sourceLocation)) |\n"
        if let range = h.timeRange {
            let start = h.generatedAt.addingTimeInterval(-Double(range.seconds))
            out += "| Time range | \(range.text) (\(ReportFormatting.timestamp(start)) to \(ReportFormatting.timestamp(h.generatedAt))) |\n"
        } else {
            out += "| Time range | point in time (counters since process start) |\n"
        }
        out += "| Generated | \(ReportFormatting.timestamp(h.generatedAt)) |\n"
        out += "| Namespace | \(cell(h.namespace)) |\n"
        let service = h.service.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        out += "| Service | \(service.isEmpty ? missing : cell(service)) |\n\n"
        out += "## Alerts firing\n\n"
        switch report.alerts {
        case nil:
            out += "No alert source was queried.\n\n"
        case let alerts? where alerts.isEmpty:
            out += "None.\n\n"
        case let alerts?:
            out += "| Alert | Severity | Since | Summary | Source |\n|---|---|---|---|---|\n"
            for a in alerts {
                let since = a.activeSince.map(ReportFormatting.timestamp) ?? missing
                out += "| \(cell(a.name)) | \(cell(a.severity ?? missing)) | \(since) | \(cell(a.summary ?? missing)) | \(a.source) |\n"
            }
            out += "\n"
        }
        for section in report.sections {
            out += "## \(section.title)\n\n| Measurement | Series | Value |\n|---|---|---|\n"
            for row in section.rows {
                let series = row.labels.isEmpty ? "all" : cell(row.seriesText)
                let value = row.value.map { ReportFormatting.readable($0, row.unit) } ?? missing
                out += "| \(cell(row.title)) | \(series) | \(value) |\n"
            }
            out += "\n"
        }
        out.removeLast()
        return out
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
