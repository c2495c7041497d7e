/// Renders a report as CSV (RFC 4180: CRLF line ends, fields with commas, quotes or line breaks
/// quoted, quotes doubled): a header row, then one row per measurement and series.
/// A missing value is an empty cell.
package enum CSVReportRenderer {
    /// The header row's fields.
    package static let columns = ["section", "measurement", "title", "series", "value", "unit"]

    /// The CSV text.
    package static func render(_ report: Report) -> String {
        var out = line(columns)
        for section in report.sections {
            for row in section.rows {
                out += line([section.id, row.measurement, row.title, row.seriesText,
                             row.value.map(ReportFormatting.plain) ?? "", row.unit.rawValue])
            }
        }
        return out
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
