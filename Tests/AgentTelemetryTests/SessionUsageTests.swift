import AgentTelemetry
import AgentTelemetryTesting
import Testing

/// Usage per session (tokens, cost, LLM and tool calls) and the agent-level GenAI metrics.
struct SessionUsageTests {
    static func configuration(limit: Int = 100_000) -> TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.standardMetrics.priceSchedule = PricingTests.table
        c.standardMetrics.sessionIdleTimeout = .seconds(60)
        c.standardMetrics.sessionLimit = limit
        return c
    }

    @Test func anEndedSessionReportsItsTokensCostAndCalls() async throws {
        try await withTestTelemetry(configuration: Self.configuration()) { t in
            t.emit(SessionStarted(sessionID: "s1", userID: "u1"))
            for _ in 0..<2 {
                // claude-sonnet-4-5: 10k × $3/M + 2k × $15/M = $0.06 each.
                t.emit(ProviderRequest(provider: .anthropic, model: "claude-sonnet-4-5", outcome: .success, latency: .seconds(1),
                                       inputTokens: 10_000, outputTokens: 2_000, sessionID: "s1"))
            }
            for _ in 0..<3 { t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(5), sessionID: "s1")) }
            // Another session's and a session-less request do not count for s1.
            t.emit(ProviderRequest(provider: .anthropic, model: "claude-sonnet-4-5", outcome: .success, latency: .seconds(1),
                                   inputTokens: 1, outputTokens: 1))
            t.emit(SessionEnded(sessionID: "s1", userID: "u1", duration: .seconds(90)))
            await t.settle()
            #expect(t.histogramValue("agent_session_llm_tokens")?.sum == 24_000)
            #expect(t.histogramValue("agent_session_llm_calls")?.sum == 2)
            #expect(t.histogramValue("agent_session_tool_calls")?.sum == 3)
            let cost = try #require(t.histogramValue("agent_session_llm_cost_usd"))
            #expect(cost.count == 1)
            #expect(abs(cost.sum - 0.12) < 1e-12)
            // $0.12 falls in the (0.1, 0.25] bucket.
            #expect(cost.bucketCounts[cost.bounds.firstIndex(of: 0.25) ?? 0] == 1)
        }
    }

    @Test func anExpiredSessionReportsItsUsageToo() async throws {
        try await withTestTelemetry(configuration: Self.configuration()) { t in
            t.emit(SessionStarted(sessionID: "idle", userID: "u"))
            t.emit(ToolExecuted(tool: "x", outcome: .success, duration: .zero, sessionID: "idle"))
            await t.settle()
            t.clock.advance(by: .seconds(61))
            #expect(t.counterValue("agent_sessions_expired_total") == 1)
            #expect(t.histogramValue("agent_session_tool_calls")?.sum == 1)
            #expect(t.histogramValue("agent_session_tool_calls")?.count == 1)
        }
    }

    @Test func sessionStateIsBoundedAndEvictionsAreCounted() async throws {
        try await withTestTelemetry(configuration: Self.configuration(limit: 10)) { t in
            for i in 0..<25 {
                t.emit(SessionStarted(sessionID: "s\(i)", userID: "u\(i)"))
                // Handled before time moves on: distinct activity times, so the oldest go first.
                await t.settle()
                t.clock.advance(by: .milliseconds(1))
            }
            #expect(t.gaugeValue("agent_active_sessions") == 10)
            #expect(t.counterValue("agent_sessions_evicted_total") == 15)
            // An evicted session's end is ignored; a live one's is reported.
            t.emit(SessionEnded(sessionID: "s0", userID: "u0", duration: .seconds(1)))
            t.emit(SessionEnded(sessionID: "s24", userID: "u24", duration: .seconds(1)))
            await t.settle()
            #expect(t.histogramValue("agent_session_llm_calls")?.count == 1)
        }
    }

    @Test func trackAgentAndToolsFeedTheAgentLevelGenAIMetrics() async throws {
        struct Stuck: ErrorTypeProviding { var telemetryErrorType: ErrorType { .timeout } }
        try await withTestTelemetry(configuration: Self.configuration()) { t in
            let answer = await t.telemetry.track(agent: "planner") {
                t.clock.advance(by: .seconds(2))
                return "plan"
            }
            #expect(answer == "plan")
            await #expect(throws: Stuck.self) {
                try await t.telemetry.track(agent: "coder") { () async throws(Stuck) -> Int in
                    t.clock.advance(by: .seconds(30))
                    throw Stuck()
                }
            }
            t.emit(ToolExecuted(tool: "grep", outcome: .failure, duration: .milliseconds(250), errorType: .serverError))
            await t.settle()
            let ok = ["gen_ai_operation_name": "invoke_agent", "gen_ai_agent_name": "planner", "error_type": ""]
            #expect(t.histogramValue("gen_ai_invoke_agent_duration_seconds", ok)?.sum == 2)
            let failed = ["gen_ai_operation_name": "invoke_agent", "gen_ai_agent_name": "coder", "error_type": "timeout"]
            #expect(t.histogramValue("gen_ai_invoke_agent_duration_seconds", failed)?.sum == 30)
            #expect(t.counterValue("agent_invocations_total", ["agent": "coder", "outcome": "timeout"]) == 1)
            let tool = ["gen_ai_operation_name": "execute_tool", "gen_ai_tool_name": "grep", "error_type": "server_error"]
            #expect(t.histogramValue("gen_ai_execute_tool_duration_seconds", tool)?.sum == 0.25)
            let family = try #require(t.registry.snapshot().family(named: "gen_ai_invoke_agent_duration_seconds"))
            #expect(family.info.otlpName == "gen_ai.invoke_agent.duration")
        }
    }
}
