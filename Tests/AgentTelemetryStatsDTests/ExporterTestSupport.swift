import AgentTelemetry
import AgentTelemetryStatsD
import AgentTelemetryTesting
import AgentTelemetryTestSupport
import Testing

/// Runs `exporter` for the duration of `body`, then cancels it and waits for its final flush.
func withRunning(_ exporter: StatsDExporter, _ body: () async throws -> Void) async throws {
    let task = Task { try await exporter.run() }
    let started = await eventually { exporter.isStreaming }
    #expect(started, "exporter did not start streaming")
    do {
        try await body()
    } catch {
        task.cancel()
        _ = try? await task.value
        throw error
    }
    task.cancel()
    try await task.value
}
