import AgentTelemetry
import AgentTelemetryStatsD
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

/// The value of a counter series in `registry` whose labels include `labels`; 0 when absent.
func counterValue(_ registry: MetricRegistry, _ name: String, _ labels: [String: String] = [:]) -> Double {
    guard let family = registry.snapshot().family(named: name) else { return 0 }
    for series in family.series where labels.allSatisfy({ series.labels[$0.key] == $0.value }) {
        if case .counter(let v) = series.value { return v }
    }
    return 0
}
