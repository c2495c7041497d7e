import AgentTelemetry
import Foundation
import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryPrometheus

/// A real Prometheus server scrapes the endpoint; the test asks Prometheus what it stored.
@Suite("Scraped by a real Prometheus server")
struct PrometheusServerTests {
    @Test("up is 1, and a counter and a histogram quantile come back with the emitted values",
          .enabled(if: Peers.available(Peers.prometheus, "prometheus")), .timeLimit(.minutes(5)))
    func realPrometheus() async throws {
        let t = try Telemetry().started()
        for _ in 0..<42 { t.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(20))) }
        await t.flush()
        try await withExporter(registry: t.registry) { port in
            let server = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)")
            defer { server.stop() }
            // The first scrape takes a few seconds: poll.
            let up = await eventually(timeout: .seconds(60)) { (try? await server.query("up{job=\"agent\"}")) == 1 }
            #expect(up, "Prometheus never reported the target up; log: \(server.log())")
            let counter = await server.settledQuery("agent_tool_executions_total{tool=\"read_file\",vertical=\"coding\",outcome=\"success\"}")
            #expect(counter == 42)
            // All 42 observations are 0.02 s, in the bucket (0.01, 0.025]; Prometheus interpolates
            // linearly inside it: 0.01 + (0.025 - 0.01) * 0.95 = 0.02425.
            let p95 = await server.settledQuery("histogram_quantile(0.95, sum by (le) (agent_tool_execution_duration_seconds_bucket))")
            #expect(abs((p95 ?? 0) - 0.02425) < 1e-9)
        }
        await t.shutdown()
    }
}

