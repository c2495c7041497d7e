import AgentTelemetry
import AgentTelemetryCommands
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
        subcommands: [DemoCommand.self, CheckConfigCommand<BuiltInPluginSet>.self, CatalogCommand.self, ReportCommand.self])

    /// Catches the stop signals and ignores SIGPIPE before anything else runs, then parses and
    /// runs the subcommand. Only `demo` handles the stop signals itself; the other subcommands
    /// get the default actions back (and a signal that came meanwhile is acted on then).
    static func main() async {
        ProcessSignals.prepare()
        do {
            var command = try parseAsRoot()
            if !(command is DemoCommand) { ProcessSignals.restoreDefaults() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Exit code for an invalid configuration (the same as `check-config`'s).
let invalidConfigurationExitCode: Int32 = ConfigurationCheck.invalidConfigurationExitCode
