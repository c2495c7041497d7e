import AgentTelemetry
import AgentTelemetryPrometheus
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Foundation
import Testing

/// Views and common labels as Prometheus sees them: the exposition text, promtool's lint, and a
/// real Prometheus server's answers.
@Suite("Views in the Prometheus exposition")
struct ViewExpositionTests {
    @Test func droppedLabelDeniedRenamedAndCommonLabelsInTheText() async throws {
        try await withTestTelemetry(configuration: ViewScenario.configuration) { t in
            ViewScenario.emitWorkload(t.telemetry)
            await t.settle()
            // One series for all models, with the common labels after the metric's own.
            let requests = t.registry.compareExposition("""
                # TYPE agent_provider_requests_total counter
                agent_provider_requests_total{provider="openai",outcome="success",environment="staging",version="1.4.2"} \(ViewScenario.totalRequests)
                """, metrics: ["agent_provider_requests_total"])
            #expect(requests.matches, "\(requests)")
            // Renamed: only the new name is exported.
            let tools = t.registry.compareExposition("""
                # TYPE agent_tool_calls_total counter
                agent_tool_calls_total{tool="search",vertical="research",outcome="success",environment="staging",version="1.4.2"} \(ViewScenario.toolCalls)
                """, metrics: ["agent_tool_calls_total"])
            #expect(tools.matches, "\(tools)")
            // The metric's own `environment` wins over the common label; `version` is still added.
            let deployments = t.registry.compareExposition("""
                agent_devops_deployments_total{environment="prod",outcome="success",version="1.4.2"} 1
                """, metrics: ["agent_devops_deployments_total"])
            #expect(deployments.matches, "\(deployments)")

            for format in [ExpositionFormat.prometheusText, .openMetrics] {
                var bytes: [UInt8] = []
                PrometheusTextEncoder(format: format).encode(registry: t.registry, into: &bytes)
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(!text.contains("agent_devops_pipeline"), "a denied metric was exported")
                #expect(!text.contains("agent_tool_executions_total"), "the old name of a renamed metric was exported")
                // Every sample line carries `version` (the common label no metric has).
                let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
                #expect(!samples.isEmpty)
                #expect(samples.allSatisfy { $0.contains("version=\"1.4.2\"") }, "a line without the common labels")
                // The snapshot path renders the same bytes as the live path.
                #expect(PrometheusTextEncoder(format: format).encode(t.registry.snapshot()) == bytes)
            }
        }
    }

    @Test("views and common labels pass promtool lint", .enabled(if: Peers.available(Peers.promtool, "promtool")))
    func promtoolLint() async throws {
        try await withTestTelemetry(configuration: ViewScenario.configuration) { t in
            ViewScenario.emitWorkload(t.telemetry)
            await t.settle()
            let body = PrometheusTextEncoder().encode(t.registry.snapshot())
            let result = try await Peers.run(Peers.promtool ?? "promtool", ["check", "metrics"], stdin: Data(body))
            #expect(result.status == 0, "promtool: \(result.stdout) \(result.stderr)")
        }
    }

    @Test("a real Prometheus stores the merged series with the common labels",
          .enabled(if: Peers.available(Peers.prometheus, "prometheus")), .timeLimit(.minutes(5)))
    func realPrometheus() async throws {
        try await withTestTelemetry(configuration: ViewScenario.configuration) { t in
            ViewScenario.emitWorkload(t.telemetry)
            await t.settle()
            try await withExporter(registry: t.registry) { port in
                let server = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)")
                defer { server.stop() }
                let up = await eventually(timeout: .seconds(60)) { (try? await server.query("up{job=\"agent\"}")) == 1 }
                #expect(up, "Prometheus never reported the target up; log: \(server.log())")
                let merged = await server.settledQuery("count(agent_provider_requests_total{environment=\"staging\",version=\"1.4.2\"})")
                #expect(merged == 1)
                let total = await server.settledQuery("agent_provider_requests_total{provider=\"openai\",outcome=\"success\",environment=\"staging\"}")
                #expect(total == Double(ViewScenario.totalRequests))
                #expect(await server.settledQuery("agent_tool_calls_total") == Double(ViewScenario.toolCalls))
                #expect(try await server.query("count(agent_devops_pipeline_runs_total)") == nil)
            }
        }
    }
}
