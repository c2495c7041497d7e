import AgentTelemetry
import AgentTelemetryPrometheus
import AgentTelemetryReport
import AgentTelemetryRuntime
import Foundation
import Testing

/// The report's cost-by-agent table (issue 25): the agents come from `track(agent:)` through the
/// opt-in `gen_ai_agent_name` label a view turns on, and the rows add up to the total cost.
@Suite("Report: cost and tokens by agent")
struct CostByAgentReportTests {
    static let yaml = """
        service: {name: cost-report}
        exporters:
          prometheus: {port: 0}
        metrics:
          prices:
            openai/gpt-4o: {input_per_million: 2.5, output_per_million: 10}
          views:
            - match: agent_llm_cost_usd_total
              opt_in_labels: [gen_ai.agent.name]
            - match: agent_llm_tokens_total
              opt_in_labels: [gen_ai_agent_name]
        """

    /// The planner makes two calls, the coder one (from inside a tool step), and one call runs
    /// outside any agent: 1000 input and 100 output tokens each, $0.0035 a call.
    static func report(yaml: String) async throws -> Report {
        let config = try ConfigurationLoader.load(yaml: yaml, source: "test", environment: [:])
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        let running = Task { try await runtime.run() }
        let port = try await #require(runtime.exporter(ofType: PrometheusExporter.self)).waitUntilBound()
        let t = runtime.telemetry
        let usage = TokenUsage(input: 1000, output: 100)
        await t.track(agent: "planner") {
            for _ in 0..<2 { _ = await t.track(provider: .openAI, model: "gpt-4o") { ((), usage) } }
        }
        await t.track(agent: "coder") {
            await t.track(tool: "run_tests") {
                _ = await t.track(provider: .openAI, model: "gpt-4o") { ((), usage) }
            }
        }
        _ = await t.track(provider: .openAI, model: "gpt-4o") { ((), usage) }
        await t.flush()
        let exposition = try await ExpositionLoader.load(url: "http://127.0.0.1:\(port)/metrics")
        await runtime.shutdown()
        try await running.value
        return try await ReportGenerator().generate(
            source: ExpositionDataSource(exposition: exposition), sourceKind: "exposition", sourceLocation: "test", timeRange: nil)
    }

    static func rows(_ report: Report, _ measurement: String) -> [ReportRow] {
        report.sections.flatMap(\.rows).filter { $0.measurement == measurement }
    }

    @Test("with the view: one row per agent (and one for work outside any agent), adding up to the total")
    func byAgent() async throws {
        let report = try await Self.report(yaml: Self.yaml)
        var cost: [String: Double] = [:]
        for row in Self.rows(report, "cost_by_agent") { cost[row.labels["gen_ai_agent_name"] ?? ""] = row.value }
        #expect(Set(cost.keys) == ["planner", "coder", ""], "\(cost)")
        #expect(abs((cost["planner"] ?? 0) - 0.007) < 1e-9, "\(cost)")
        #expect(abs((cost["coder"] ?? 0) - 0.0035) < 1e-9, "\(cost)")
        #expect(abs((cost[""] ?? 0) - 0.0035) < 1e-9, "\(cost)")
        let total = try #require(Self.rows(report, "cost_total").first?.value)
        #expect(abs(cost.values.reduce(0, +) - total) < 1e-9)

        let tokens = Dictionary(uniqueKeysWithValues: Self.rows(report, "tokens_by_agent").map { ($0.labels["gen_ai_agent_name"] ?? "", $0.value) })
        #expect(tokens == ["planner": 2200, "coder": 1100, "": 1100])
        let markdown = MarkdownReportRenderer.render(report)
        #expect(markdown.contains("| Cost by agent | gen_ai_agent_name=planner |"), "\(markdown)")
    }

    @Test("without the view: the table has one row, the total, and no agent is invented")
    func withoutTheView() async throws {
        let yaml = Self.yaml.components(separatedBy: "\n  views:")[0]
        let report = try await Self.report(yaml: yaml)
        let rows = Self.rows(report, "cost_by_agent")
        #expect(rows.count == 1)
        #expect(rows.first?.labels == [:])
        #expect(abs((rows.first?.value ?? 0) - 0.014) < 1e-9)
    }
}
