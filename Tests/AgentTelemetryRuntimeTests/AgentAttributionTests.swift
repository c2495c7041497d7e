import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryTestSupport
import Foundation
import Testing

/// Tokens, cost and latency attributed to the agent that spent them, from the task context
/// (issue 25): `track(agent:)` around `track(provider:)`, opt-in per metric through views.
@Suite("Attribution by agent from the task context")
struct AgentAttributionTests {
    struct Failure: Error {}

    /// A telemetry with prices for the test model and, when `attributed`, the opt-in agent label
    /// on the token and cost counters.
    static func telemetry(attributed: Bool) throws -> Telemetry {
        var config = TelemetryConfiguration()
        config.standardMetrics.priceSchedule = PriceSchedule(effectiveDate: "2025-12-01", entries: [
            .init(provider: "*", model: "gpt-4o", rates: ModelRates(input: 2.5, output: 10)),
        ])
        if attributed {
            // Both spellings of the label are accepted.
            config.views = MetricViews(views: [
                MetricView(match: "agent_llm_cost_usd_total", optInLabels: ["gen_ai.agent.name"]),
                MetricView(match: "agent_llm_tokens_total", optInLabels: ["gen_ai_agent_name", "gen_ai.tool.name"]),
            ])
        }
        return try Telemetry(configuration: config).started()
    }

    /// The work of two agents: the planner calls the model directly, the coder from inside a tool
    /// and then fails one call; a call outside any agent is attributed to none.
    static func work(_ t: Telemetry) async throws {
        let usage = TokenUsage(input: 1000, output: 100)
        await t.track(agent: "planner") {
            _ = await t.track(provider: .openAI, model: "gpt-4o") { ((), usage) }
            await t.track(agent: "coder") {
                await t.track(tool: "run_tests") {
                    _ = await t.track(provider: .openAI, model: "gpt-4o") { ((), usage) }
                }
                _ = try? await t.track(provider: .openAI, model: "gpt-4o") { () throws(Failure) -> ((), TokenUsage) in throw Failure() }
            }
        }
        _ = await t.track(provider: .openAI, model: "gpt-4o") { ((), usage) }
        await t.flush()
    }

    @Test("nested track(agent:) → track(provider:) puts gen_ai_agent_name on the token and cost series; the tool step too")
    func attributedWithTheView() async throws {
        let t = try Self.telemetry(attributed: true)
        try await Self.work(t)
        let s = t.registry.snapshot()
        let input = ["provider": "openai", "model": "gpt-4o", "token_type": "input"]
        #expect(s.value("agent_llm_tokens_total", input.merging(["gen_ai_agent_name": "planner", "gen_ai_tool_name": ""]) { a, _ in a }) == 1000)
        #expect(s.value("agent_llm_tokens_total", input.merging(["gen_ai_agent_name": "coder", "gen_ai_tool_name": "run_tests"]) { a, _ in a }) == 1000)
        #expect(s.value("agent_llm_tokens_total", input.merging(["gen_ai_agent_name": "", "gen_ai_tool_name": ""]) { a, _ in a }) == 1000)
        // $2.50 per million input tokens, $10 per million output: 1000 in + 100 out = $0.0035 a call.
        let cost = ["provider": "openai", "model": "gpt-4o", "token_type": "input", "gen_ai_agent_name": "coder"]
        #expect(abs((s.value("agent_llm_cost_usd_total", cost) ?? 0) - 0.0025) < 1e-12)
        // Not opted in: the provider latency has no agent label.
        let latency = try #require(s.family(named: "agent_provider_request_duration_seconds"))
        #expect(latency.info.labelNames == ["provider", "model"])

        let text = String(decoding: PrometheusTextEncoder().encode(s), as: UTF8.self)
        #expect(text.contains("agent_llm_cost_usd_total{provider=\"openai\",model=\"gpt-4o\",token_type=\"output\",gen_ai_agent_name=\"planner\"}"),
                "\(text.split(separator: "\n").filter { $0.hasPrefix("agent_llm_cost") })")
        await t.shutdown()
    }

    @Test("without the view there is no agent label and no extra series")
    func notAttributedWithoutTheView() async throws {
        let t = try Self.telemetry(attributed: false)
        try await Self.work(t)
        let s = t.registry.snapshot()
        for name in ["agent_llm_tokens_total", "agent_llm_cost_usd_total"] {
            let family = try #require(s.family(named: name))
            #expect(family.info.labelNames == ["provider", "model", "token_type"], "\(name)")
            // One series per token type (input, output): the three agents' calls share them.
            #expect(family.series.count == 2, "\(name): \(family.series.map(\.labels))")
        }
        #expect(s.value("agent_llm_tokens_total", ["provider": "openai", "model": "gpt-4o", "token_type": "input"]) == 3000)
        let text = String(decoding: PrometheusTextEncoder().encode(s), as: UTF8.self)
        let attributed = text.split(separator: "\n").filter { $0.hasPrefix("agent_llm_") && $0.contains("gen_ai_agent_name") }
        #expect(attributed.isEmpty, "\(attributed)")
        await t.shutdown()
    }

    @Test("OTLP carries the agent as gen_ai.agent.name, and no empty attribute",
          .enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required (bash .ci/run installs it)"))
    func attributedOnOTLP() async throws {
        let receiver = try await OTLPReceiver()
        defer { receiver.stop() }
        let t = try Self.telemetry(attributed: true)
        try await Self.work(t)
        let exporter = try OTLPExporter(registry: t.registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, timeout: .seconds(60), serviceName: "attribution"))
        try await exporter.forceFlush()
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(1))
        let cost = try Decoded.requiredMetric("agent.llm_cost", in: requests)
        #expect(cost["unit"] as? String == "{USD}")
        let agents = Set(Decoded.points(cost).compactMap { Decoded.attributes($0)["gen_ai.agent.name"] })
        #expect(agents == ["planner", "coder"], "the call outside any agent has no gen_ai.agent.name attribute")
        #expect(Decoded.points(cost).allSatisfy { Decoded.attributes($0)["gen_ai_agent_name"] == nil })
        let tokens = try Decoded.requiredMetric("agent.llm_tokens", in: requests)
        #expect(Decoded.points(tokens).contains { Decoded.attributes($0) == ["provider": "openai", "model": "gpt-4o", "token_type": "input",
                                                                               "gen_ai.agent.name": "coder", "gen_ai.tool.name": "run_tests"] })
        let duration = try Decoded.requiredMetric("gen_ai.client.operation.duration", in: requests)
        let failed = Decoded.points(duration).filter { Decoded.attributes($0)["error.type"] != nil }
        #expect(failed.count == 1, "error.type only on the failed call")
        #expect(Decoded.points(duration).allSatisfy { !Decoded.attributes($0).values.contains("") })
        await t.shutdown()
    }
}
