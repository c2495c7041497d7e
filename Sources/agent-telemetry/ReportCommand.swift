import AgentTelemetry
import AgentTelemetryReport
import ArgumentParser
import Foundation

/// `agent-telemetry report`: a metrics report as Markdown, JSON or CSV, from a Prometheus server
/// (over a window) or from an exposition (point in time).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Generate a metrics report (Markdown, JSON, CSV) from Prometheus or a /metrics exposition.",
        discussion: """
        Give exactly one source: --prometheus URL (with --time-range), --metrics-url URL or --metrics-file PATH.
        Missing data shows as missing (JSON null, empty CSV cell, "—"), never as 0.
        An unreachable source or a body that is not an exposition prints one error line and exits 1.
        The JSON schema is docs/report.schema.json; see docs/REPORTS.md.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json, csv, all }

    @Option(help: "Prometheus server base URL, e.g. http://127.0.0.1:9090.")
    var prometheus: String?

    @Option(help: "A /metrics URL to read one exposition from (point in time).")
    var metricsURL: String?

    @Option(help: "A file holding one exposition (point in time).")
    var metricsFile: String?

    @Option(help: "Window for --prometheus: 15m, 1h, 24h, 7d, ...")
    var timeRange: String = "1h"

    @Option(help: "Alertmanager base URL to list active alerts from.")
    var alertmanager: String?

    @Option(help: "Output format: markdown, json, csv or all (all needs --output).")
    var format: Format = .markdown

    @Option(help: "Output file; for --format all, the base of one timestamped file per format.")
    var output: String?

    @Option(help: "Metric namespace prefix (as in the config's metrics.namespace).")
    var namespace: String = "agent"

    func validate() throws {
        let sources = [prometheus, metricsURL, metricsFile].compactMap { $0 }
        guard sources.count == 1 else {
            throw ValidationError("give exactly one of --prometheus, --metrics-url, --metrics-file")
        }
        guard ReportTimeRange(timeRange) != nil else {
            throw ValidationError("--time-range \"\(timeRange)\": expected a duration such as 15m, 1h, 24h, 7d")
        }
        if format == .all, output == nil { throw ValidationError("--format all needs --output") }
        if !namespace.isEmpty, let problem = MetricNameRules.metricNameProblem(namespace) {
            throw ValidationError("--namespace \"\(namespace)\": \(problem)")
        }
    }

    func run() async throws {
        let report: Report
        do {
            report = try await makeReport(now: Date())
            try write(report)
        } catch {
            complain("error: \(String(describing: error).replacingOccurrences(of: "\n", with: " "))")
            throw ExitCode(1)
        }
    }

    func makeReport(now: Date) async throws -> Report {
        let generator = ReportGenerator(namespace: namespace)
        var alertSources: [any ReportAlertSource] = alertmanager.map { [AlertmanagerClient(baseURL: $0)] } ?? []
        if let prometheus, let range = ReportTimeRange(timeRange) {
            let client = PrometheusAPIClient(baseURL: prometheus)
            alertSources.insert(client, at: 0)
            return try await generator.generate(
                source: PrometheusDataSource(client: client, range: range, end: now), sourceKind: "prometheus",
                sourceLocation: prometheus, timeRange: range, alertSources: alertSources, generatedAt: now)
        }
        if let metricsURL {
            let exposition = try await ExpositionLoader.load(url: metricsURL)
            let instance = URLComponents(string: metricsURL).flatMap { c in c.host.map { h in c.port.map { "\(h):\($0)" } ?? h } }
            return try await generator.generate(
                source: ExpositionDataSource(exposition: exposition, instance: instance), sourceKind: "exposition",
                sourceLocation: metricsURL, timeRange: nil, alertSources: alertSources, generatedAt: now)
        }
        let path = metricsFile ?? ""
        return try await generator.generate(
            source: ExpositionDataSource(exposition: try ExpositionLoader.load(path: path)), sourceKind: "exposition",
            sourceLocation: path, timeRange: nil, alertSources: alertSources, generatedAt: now)
    }

    func write(_ report: Report) throws {
        switch format {
        case .markdown: try emit(MarkdownReportRenderer.render(report), to: output)
        case .json: try emit(try JSONReportRenderer.render(report), to: output)
        case .csv: try emit(CSVReportRenderer.render(report), to: output)
        case .all:
            let base = ReportFileNames.base(output ?? "report", generatedAt: report.header.generatedAt)
            try emit(MarkdownReportRenderer.render(report), to: base + ".md")
            try emit(try JSONReportRenderer.render(report), to: base + ".json")
            try emit(CSVReportRenderer.render(report), to: base + ".csv")
        }
    }

    func emit(_ text: String, to path: String?) throws {
        guard let path else {
            print(text, terminator: "")
            return
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        if format == .all { print(path) }
    }
}
