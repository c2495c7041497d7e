import AgentTelemetry
import AgentTelemetryRuntime
import ArgumentParser
import Foundation

/// `agent-telemetry catalog`: prints the metric catalog.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Print the metric catalog as Markdown or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json }

    @Option(help: "Output format: markdown or json.")
    var format: Format = .markdown

    @Option(help: "Metric namespace prefix (as in the config's metrics.namespace).")
    var namespace: String = "agent"

    @Option(name: .customLong("config"), help: "A configuration file: print the catalog as its views leave it (its namespace too).")
    var configFile: String?

    func validate() throws {
        if !namespace.isEmpty, let problem = MetricNameRules.metricNameProblem(namespace) {
            throw ValidationError("--namespace \"\(namespace)\": \(problem)")
        }
    }

    func run() throws {
        var namespace = self.namespace
        var views: MetricViews?
        if let configFile {
            do {
                let config = try ConfigurationLoader.load(path: configFile)
                namespace = config.telemetry.standardMetrics.namespace
                views = config.telemetry.effectiveViews
            } catch {
                complain("\(error)")
                throw ExitCode(invalidConfigurationExitCode)
            }
        }
        switch format {
        case .markdown: print(TelemetryCatalog.markdown(namespace: namespace, views: views), terminator: "")
        case .json: print(TelemetryCatalog.json(namespace: namespace, views: views), terminator: "")
        }
    }
}
