import Foundation

/// A metrics report: a header, one section per catalog category and the alerts that fire.
///
/// Renderers (``MarkdownReportRenderer``, ``JSONReportRenderer``, ``CSVReportRenderer``) turn it
/// into text; `docs/REPORTS.md` and `docs/report.schema.json` describe the JSON form.
package struct Report: Sendable, Equatable {
    /// The version of the JSON schema this report follows.
    package static let schemaVersion = 1

    /// Where the data came from, when and for which service.
    package var header: ReportHeader
    /// Sections in catalog order: performance, functional, LLM usage, business, agentic, verticals, security.
    package var sections: [ReportSection]
    /// Firing alerts, or `nil` when no alert source was asked (an exposition without `--alertmanager`).
    package var alerts: [ReportAlert]?

    /// Creates a report.
    package init(header: ReportHeader, sections: [ReportSection], alerts: [ReportAlert]?) {
        self.header = header
        self.sections = sections
        self.alerts = alerts
    }
}

/// The header of a report.
package struct ReportHeader: Sendable, Equatable {
    /// `prometheus` or `exposition`.
    package var sourceKind: String
    /// The Prometheus URL, the metrics URL or the file path.
    package var sourceLocation: String
    /// The window (`1h`), or `nil` for a point-in-time report from an exposition.
    package var timeRange: ReportTimeRange?
    /// When the report was generated (the end of the window for Prometheus).
    package var generatedAt: Date
    /// The metric namespace used (`agent`).
    package var namespace: String
    /// Service attributes: the labels of `target_info`, else `job` and `instance`.
    package var service: [String: String]

    /// Creates a header.
    package init(sourceKind: String, sourceLocation: String, timeRange: ReportTimeRange?, generatedAt: Date,
                namespace: String, service: [String: String]) {
        self.sourceKind = sourceKind
        self.sourceLocation = sourceLocation
        self.timeRange = timeRange
        self.generatedAt = generatedAt
        self.namespace = namespace
        self.service = service
    }
}

/// One section of a report, after a catalog category.
package struct ReportSection: Sendable, Equatable {
    /// The catalog category's raw value (`performance`, `llm_usage`, ...).
    package var id: String
    /// The heading (`Performance`, `LLM usage`, ...).
    package var title: String
    /// The rows, one per measurement and series.
    package var rows: [ReportRow]

    /// Creates a section.
    package init(id: String, title: String, rows: [ReportRow]) {
        self.id = id
        self.title = title
        self.rows = rows
    }
}

/// One value of a report: a measurement of one series.
package struct ReportRow: Sendable, Equatable {
    /// A stable identifier of the measurement (`request_latency_p95`).
    package var measurement: String
    /// A readable name (`Request latency p95`).
    package var title: String
    /// The series' labels (`tool`, `provider`, ...); empty for a total over all series.
    package var labels: [String: String]
    /// The value in ``unit``, or `nil` when the data is missing (never 0 for missing).
    package var value: Double?
    /// The unit of ``value``.
    package var unit: ReportUnit

    /// Creates a row.
    package init(measurement: String, title: String, labels: [String: String] = [:], value: Double?, unit: ReportUnit) {
        self.measurement = measurement
        self.title = title
        self.labels = labels
        self.value = value
        self.unit = unit
    }

    /// The labels as `name=value` pairs sorted by name and joined with `, `.
    package var seriesText: String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}

/// An alert that fires, from Prometheus or Alertmanager.
package struct ReportAlert: Sendable, Equatable {
    /// `alertname`.
    package var name: String
    /// The `severity` label, if any.
    package var severity: String?
    /// `firing` (Prometheus) or `active` (Alertmanager).
    package var state: String
    /// Since when it fires, if known.
    package var activeSince: Date?
    /// The `summary` annotation, if any.
    package var summary: String?
    /// `prometheus` or `alertmanager`.
    package var source: String
    /// All labels of the alert.
    package var labels: [String: String]

    /// Creates an alert.
    package init(name: String, severity: String?, state: String, activeSince: Date?, summary: String?, source: String,
                labels: [String: String]) {
        self.name = name
        self.severity = severity
        self.state = state
        self.activeSince = activeSince
        self.summary = summary
        self.source = source
        self.labels = labels
    }
}
