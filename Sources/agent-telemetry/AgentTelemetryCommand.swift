import AgentTelemetry
import AgentTelemetryRuntime
import ArgumentParser

/// `agent-telemetry`: run the demo agent, check a configuration, print the metric catalog.
///
/// Exit codes: 0 success; 1 a runtime failure (cannot bind, cannot reach a source);
/// 2 an invalid configuration; 64 a usage error (unknown option, bad argument).
@main
struct AgentTelemetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent-telemetry",
        abstract: "Observability for AI agents: demo workload, metrics reports, configuration check, metric catalog.",
        discussion: """
        Exit codes: 0 success, 1 runtime failure, 2 invalid configuration, 64 usage error.
        Errors are printed on standard error.
        """,
        subcommands: [DemoCommand.self, CheckConfigCommand.self, CatalogCommand.self, ReportCommand.self])
}

/// Exit code for an invalid configuration.
let invalidConfigurationExitCode: Int32 = 2
