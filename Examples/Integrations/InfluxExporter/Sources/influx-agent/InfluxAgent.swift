import AgentTelemetry
import AgentTelemetryCommands
import AgentTelemetryRuntime
import ArgumentParser
import InfluxExporter
import Logging
import ServiceLifecycle

/// The kinds this program's configuration may name: the built-ins and `influxdb`.
enum InfluxAgentPlugins: TelemetryPluginSet {
    static var plugins: TelemetryPlugins { .withInflux }
}

/// A user's own program with an exporter plug-in: `check-config` checks its configuration (the
/// `influxdb` section included) with the messages and exit codes of `agent-telemetry
/// check-config`; `run` runs a small workload with the configured exporters.
@main
struct InfluxAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "influx-agent",
        abstract: "An agent whose metrics go to InfluxDB through the influxdb exporter plug-in.",
        discussion: "Exit codes: 0 success, 1 runtime failure, 2 invalid configuration.",
        subcommands: [CheckConfigCommand<InfluxAgentPlugins>.self, RunCommand.self])
}

/// `influx-agent run --config FILE`: emits tool calls for `--duration` seconds (or until SIGTERM or
/// SIGINT), then stops with a final export.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a small workload with the configured exporters.")

    @Option(help: "The YAML configuration file.")
    var config: String

    @Option(help: "Seconds to run.")
    var duration: Double = 10

    func validate() throws {
        guard duration.isFinite, duration >= 0, duration <= 86_400 * 365 else {
            throw ValidationError("--duration must be between 0 and 31536000 seconds")
        }
    }

    func run() async throws {
        let resolved: RuntimeConfiguration
        do {
            resolved = try ConfigurationLoader.load(path: config, plugins: InfluxAgentPlugins.plugins)
        } catch {
            print("\(error)")
            throw ExitCode(ConfigurationCheck.invalidConfigurationExitCode)
        }
        let logger = Logger(label: "influx-agent")
        let runtime = try TelemetryRuntime.bootstrap(config: resolved, logger: logger)
        let workload = Workload(telemetry: runtime.telemetry, duration: .seconds(duration))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: runtime), .init(service: workload, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Ten tool calls a second until `duration` has passed or the group stops.
struct Workload: Service {
    let telemetry: Telemetry
    let duration: Duration

    func run() async throws {
        let clock = ContinuousClock()
        let end = clock.now + duration
        var n = 0
        while clock.now < end, !Task.isShuttingDownGracefully, !Task.isCancelled {
            n += 1
            telemetry.emit(ToolExecuted(tool: n.isMultiple(of: 3) ? "search" : "fetch", outcome: n.isMultiple(of: 10) ? .failure : .success,
                                        duration: .milliseconds(20 + n % 50)))
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
