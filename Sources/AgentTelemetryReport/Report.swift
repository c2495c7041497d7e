import Foundation

/// A metrics report: a header, one section per catalog category and the alerts that fire.
///
/// Renderers (``MarkdownReportRenderer``, ``JSONReportRenderer``, ``CSVReportRenderer``) turn it
/// into text; `docs/REPORTS.md` and `docs/report.schema.json` describe the JSON form.
public struct Report: Sendable, Equatable {
    /// The version of the JSON schema this report follows.
    public static let schemaVersion = 1

    /// Where the data came from, when and for which service.
    public var header: ReportHeader
    /// Sections in catalog order: performance, functional, LLM usage, business, agentic, verticals, security.
    public var sections: [ReportSection]
    /// Firing alerts, or `nil` when no alert source was asked (an exposition without `--alertmanager`).
    public var alerts: [ReportAlert]?

    /// Creates a report.
    public init(header: ReportHeader, sections: [ReportSection], alerts: [ReportAlert]?) {
        self.header = header
        self.sections = sections
        self.alerts = alerts
    }
}

/// The header of a report.
public struct ReportHeader: Sendable, Equatable {
    /// `prometheus` or `exposition`.
    public var sourceKind: String
    /// The Prometheus URL, the metrics URL or the file path.
    public var sourceLocation: String
    /// The window (`1h`), or `nil` for a point-in-time report from an exposition.
    public var timeRange: ReportTimeRange?
    /// When the report was generated (the end of the window for Prometheus).
    public var generatedAt: Date
    /// The metric namespace used (`agent`).
    public var namespace: String
    /// Service attributes: the labels of `target_info`, else `job` and `instance`.
    public var service: [String: String]

    /// Creates a header.
    public init(sourceKind: String, sourceLocation: String, timeRange: ReportTimeRange?, generatedAt: Date,
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
public struct ReportSection: Sendable, Equatable {
    /// The catalog category's raw value (`performance`, `llm_usage`, ...).
    public var id: String
    /// The heading (`Performance`, `LLM usage`, ...).
    public var title: String
    /// The rows, one per measurement and series.
    public var rows: [ReportRow]

    /// Creates a section.
    public init(id: String, title: String, rows: [ReportRow]) {
        self.id = id
        self.title = title
        self.rows = rows
    }
}

/// One value of a report: a measurement of one series.
public struct ReportRow: Sendable, Equatable {
    /// A stable identifier of the measurement (`request_latency_p95`).
    public var measurement: String
    /// A readable name (`Request latency p95`).
    public var title: String
    /// The series' labels (`tool`, `provider`, ...); empty for a total over all series.
    public var labels: [String: String]
    /// The value in ``unit``, or `nil` when the data is missing (never 0 for missing).
    public var value: Double?
    /// The unit of ``value``.
    public var unit: ReportUnit

    /// Creates a row.
    public init(measurement: String, title: String, labels: [String: String] = [:], value: Double?, unit: ReportUnit) {
        self.measurement = measurement
        self.title = title
        self.labels = labels
        self.value = value
        self.unit = unit
    }

    /// The labels as `name=value` pairs sorted by name and joined with `, `.
    public var seriesText: String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}

/// An alert that fires, from Prometheus or Alertmanager.
public struct ReportAlert: Sendable, Equatable {
    /// `alertname`.
    public var name: String
    /// The `severity` label, if any.
    public var severity: String?
    /// `firing` (Prometheus) or `active` (Alertmanager).
    public var state: String
    /// Since when it fires, if known.
    public var activeSince: Date?
    /// The `summary` annotation, if any.
    public var summary: String?
    /// `prometheus` or `alertmanager`.
    public var source: String
    /// All labels of the alert.
    public var labels: [String: String]

    /// Creates an alert.
    public init(name: String, severity: String?, state: String, activeSince: Date?, summary: String?, source: String,
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
