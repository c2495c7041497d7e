// QuickStart: emit agent events and serve them to Prometheus.
//
//   swift run QuickStart            then   curl http://127.0.0.1:9092/metrics
//
// Stops on Ctrl-C (SIGINT) or SIGTERM after draining the bus.
import AgentTelemetry
import AgentTelemetryPrometheus
import Logging
import ServiceLifecycle

let telemetry = try Telemetry()
let prometheus = PrometheusExporter(registry: telemetry.registry, configuration: .init(port: 9092))

// What an agent reports as it works. `emit` never blocks and never throws.
telemetry.emit(SessionStarted(sessionID: "s-1", userID: "alice"))
telemetry.emit(ProviderRequest(provider: .anthropic, model: "claude-sonnet-4", outcome: .success,
                               latency: .milliseconds(1840), inputTokens: 1200, outputTokens: 350,
                               timeToFirstToken: .milliseconds(420), sessionID: "s-1"))
telemetry.emit(CacheAccess(cache: "embeddings", result: .miss))

// Let the library measure: duration, outcome and error type are recorded for you.
struct FileMissing: Error {}
let lines = try await telemetry.track(tool: "count_lines", vertical: .coding) { () async throws -> Int in
    try await Task.sleep(for: .milliseconds(15))
    return 42
}
_ = try? await telemetry.track(tool: "read_file", vertical: .coding) { () async throws(FileMissing) -> Int in throw FileMissing() }
print("counted \(lines) lines; metrics at http://127.0.0.1:9092/metrics (Ctrl-C to stop)")

struct Drain: Service {
    let telemetry: Telemetry
    func run() async throws {
        try? await gracefulShutdown()
        await telemetry.shutdown()
    }
}
let group = ServiceGroup(configuration: .init(
    services: [.init(service: prometheus), .init(service: Drain(telemetry: telemetry))],
    gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "quickstart")))
try await group.run()
