// ConfigDriven: load the YAML configuration (environment overrides applied), start every
// exporter it enables, and emit from anywhere through the process-wide default.
//
//   swift run ConfigDriven configs/agent-telemetry.yaml
//   AGENT_TELEMETRY_PROMETHEUS_PORT=9300 swift run ConfigDriven configs/agent-telemetry.yaml
//
// Stops on Ctrl-C (SIGINT) or SIGTERM, after the bus has drained and every exporter exported once more.
import AgentTelemetry
import AgentTelemetryRuntime
import Foundation
import Logging
import ServiceLifecycle

let path = CommandLine.arguments.dropFirst().first ?? "configs/agent-telemetry.yaml"
let config: RuntimeConfiguration
do {
    config = try ConfigurationLoader.load(path: path)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
print(EffectiveConfiguration.render(config))
let runtime = try TelemetryRuntime.bootstrap(config: config)

// Anywhere in the agent, without passing a handle around:
func answer(question: String) {
    TelemetrySystem.emit(ChatTurn(duration: .milliseconds(2300), outcome: .success))
}
answer(question: "What changed in the last deploy?")

// The runtime is one service; an application lists its own services after it.
let group = ServiceGroup(services: [runtime], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "config-driven"))
try await group.run()
