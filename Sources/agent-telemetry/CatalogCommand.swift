import AgentTelemetry
import AgentTelemetryRuntime
import ArgumentParser

/// `agent-telemetry catalog`: prints the metric catalog.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Print the metric catalog as Markdown or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json }

    @Option(help: "Output format: markdown or json.")
    var format: Format = .markdown

    @Option(help: "Metric namespace prefix (as in the config's metrics.namespace).")
    var namespace: String = "agent"

    func validate() throws {
        if !namespace.isEmpty, let problem = MetricNameRules.metricNameProblem(namespace) {
            throw ValidationError("--namespace \"\(namespace)\": \(problem)")
        }
    }

    func run() throws {
        switch format {
        case .markdown: print(TelemetryCatalog.markdown(namespace: namespace), terminator: "")
        case .json: print(TelemetryCatalog.json(namespace: namespace), terminator: "")
        }
    }
}
