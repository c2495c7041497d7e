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
let prometheus = try PrometheusExporter(registry: telemetry.registry, configuration: .init(port: 9092))

// What an agent reports as it works. `emit` never blocks and never throws; events emitted before
// the telemetry runs wait in its (bounded) buffer.
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

// Exporters first, telemetry after them: on SIGTERM/SIGINT the group stops services in reverse
// order, so the bus drains while the endpoint still serves.
let group = ServiceGroup(
    services: [prometheus, telemetry],
    gracefulShutdownSignals: [.sigterm, .sigint],
    logger: Logger(label: "quickstart"))
try await group.run()
