import AgentTelemetry
import Foundation

/// Builds a ``Report`` by evaluating every measurement of ``ReportMeasurements`` against a data source.
package struct ReportGenerator: Sendable {
    /// The metric namespace (`agent`).
    package var namespace: String
    /// The measurements to show.
    package var measurements: [ReportMeasurement]

    /// Creates a generator for `namespace`.
    package init(namespace: String = "agent", measurements: [ReportMeasurement] = ReportMeasurements.all) {
        self.namespace = namespace
        self.measurements = measurements
    }

    /// Evaluates every measurement (one query each) and collects the alerts of `alertSources`
    /// (`nil` in the report when there are none). `generatedAt` is injectable for reproducible output.
    package func generate(
        source: any ReportDataSource, sourceKind: String, sourceLocation: String, timeRange: ReportTimeRange?,
        alertSources: [any ReportAlertSource] = [], generatedAt: Date = Date()
    ) async throws -> Report {
        var sections: [ReportSection] = []
        for category in ReportMeasurements.categories {
            var rows: [ReportRow] = []
            for measurement in measurements where measurement.category == category {
                rows += try await self.rows(measurement, source: source)
            }
            sections.append(ReportSection(id: category.rawValue, title: category.title, rows: rows))
        }
        var alerts: [ReportAlert]?
        if !alertSources.isEmpty {
            var all: [ReportAlert] = []
            for alertSource in alertSources { all += try await alertSource.firingAlerts() }
            alerts = all.sorted { ($0.name, $0.source) < ($1.name, $1.source) }
        }
        let header = ReportHeader(
            sourceKind: sourceKind, sourceLocation: sourceLocation, timeRange: timeRange, generatedAt: generatedAt,
            namespace: namespace, service: try await source.serviceAttributes())
        return Report(header: header, sections: sections, alerts: alerts)
    }

    func rows(_ measurement: ReportMeasurement, source: any ReportDataSource) async throws -> [ReportRow] {
        let series = try await source.evaluate(measurement.query(namespace: namespace))
        let rows = series.map { s in
            ReportRow(measurement: measurement.id, title: measurement.title, labels: s.labels,
                      value: s.value.map { $0 * measurement.factor }, unit: measurement.unit)
        }.sorted { $0.seriesText < $1.seriesText }
        guard rows.isEmpty else { return rows }
        return [ReportRow(measurement: measurement.id, title: measurement.title, value: nil, unit: measurement.unit)]
    }
}
