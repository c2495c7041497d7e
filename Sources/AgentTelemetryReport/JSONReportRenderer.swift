import Foundation

/// Renders a report as JSON following `docs/report.schema.json` (schema version 1):
/// keys sorted, missing values as `null`.
package enum JSONReportRenderer {
    /// The JSON text, pretty-printed, ending with a newline.
    package static func render(_ report: Report) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object(report), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The report as JSON-compatible Foundation objects.
    static func object(_ report: Report) -> [String: Any] {
        let h = report.header
        var window: Any = NSNull()
        if let range = h.timeRange {
            window = ["start": ReportFormatting.timestamp(h.generatedAt.addingTimeInterval(-Double(range.seconds))),
                      "end": ReportFormatting.timestamp(h.generatedAt)]
        }
        let header: [String: Any] = [
            "source": ["kind": h.sourceKind, "location": h.sourceLocation],
            "time_range": h.timeRange.map { $0.text as Any } ?? NSNull(),
            "window": window,
            "generated_at": ReportFormatting.timestamp(h.generatedAt),
            "namespace": h.namespace,
            "service": h.service,
        ]
        let sections: [[String: Any]] = report.sections.map { section in
            ["id": section.id, "title": section.title, "rows": section.rows.map { row -> [String: Any] in
                ["measurement": row.measurement, "title": row.title, "labels": row.labels,
                 "value": row.value.map { $0 as Any } ?? NSNull(), "unit": row.unit.rawValue]
            }]
        }
        let alerts: Any = report.alerts.map { list in
            list.map { a -> [String: Any] in
                ["name": a.name, "severity": a.severity.map { $0 as Any } ?? NSNull(), "state": a.state,
                 "active_since": a.activeSince.map { ReportFormatting.timestamp($0) as Any } ?? NSNull(),
                 "summary": a.summary.map { $0 as Any } ?? NSNull(), "source": a.source, "labels": a.labels]
            }
        } ?? NSNull()
        return ["schema_version": Report.schemaVersion, "header": header, "sections": sections, "alerts": alerts]
    }
}
