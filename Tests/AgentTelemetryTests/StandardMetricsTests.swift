import AgentTelemetryTesting
import Testing
@testable import AgentTelemetry

@Suite("Standard subscriber and catalog")
struct StandardMetricsTests {
    @Test("a tool execution updates the executions counter, the duration histogram and vertical usage")
    func toolExecuted() async throws {
        let t = try Telemetry().started()
        t.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(30)))
        t.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .failure, duration: .seconds(3), errorType: .timeout))
        await t.flush()
        let s = t.registry.snapshot()
        #expect(s.value("agent_tool_executions_total", ["tool": "read_file", "vertical": "coding", "outcome": "success"]) == 1)
        #expect(s.value("agent_tool_executions_total", ["tool": "read_file", "vertical": "coding", "outcome": "failure"]) == 1)
        let h = try #require(s.histogramValue("agent_tool_execution_duration_seconds", ["tool": "read_file", "vertical": "coding"]))
        #expect(h.count == 2)
        #expect(abs(h.sum - 3.03) < 1e-9)
        #expect(h.bounds == Buckets.agentLatency)
        #expect(s.value("agent_vertical_usage_total", ["vertical": "coding", "outcome": "success"]) == 1)
        await t.shutdown()
    }

    @Test("a provider request feeds the GenAI convention metrics, token counters and the cost estimate")
    func providerRequest() async throws {
        var config = TelemetryConfiguration()
        config.standardMetrics.priceOverrides = ["openai/gpt-4o": ModelRates(input: 2.5, output: 10)]
        let t = try Telemetry(configuration: config).started()
        t.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .milliseconds(1200),
                               inputTokens: 1000, outputTokens: 500, timeToFirstToken: .milliseconds(300)))
        t.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .failure, latency: .milliseconds(50), errorType: .rateLimited))
        await t.flush()
        let s = t.registry.snapshot()
        let genAI = ["gen_ai_operation_name": "chat", "gen_ai_provider_name": "openai", "gen_ai_request_model": "gpt-4o",
                     "gen_ai_response_model": ""]  // the test reports no response model
        #expect(s.histogramValue("gen_ai_client_token_usage", genAI.merging(["gen_ai_token_type": "input"]) { a, _ in a })?.sum == 1000)
        #expect(s.histogramValue("gen_ai_client_token_usage", genAI.merging(["gen_ai_token_type": "output"]) { a, _ in a })?.sum == 500)
        #expect(s.histogramValue("gen_ai_client_operation_duration_seconds", genAI.merging(["error_type": ""]) { a, _ in a })?.count == 1)
        #expect(s.histogramValue("gen_ai_client_operation_duration_seconds", genAI.merging(["error_type": "rate_limited"]) { a, _ in a })?.count == 1)
        #expect(abs((s.histogramValue("gen_ai_client_operation_time_to_first_chunk_seconds", genAI)?.sum ?? 0) - 0.3) < 1e-9)
        #expect(s.value("agent_llm_tokens_total", ["provider": "openai", "model": "gpt-4o", "token_type": "input"]) == 1000)
        #expect(s.value("agent_provider_errors_total", ["provider": "openai", "model": "gpt-4o", "error_type": "rate_limited"]) == 1)
        #expect(s.value("agent_provider_requests_total", ["provider": "openai", "model": "gpt-4o", "outcome": "failure"]) == 1)
        // 1000 * 2.5/1M + 500 * 10/1M = 0.0025 + 0.005, by token type
        #expect(s.value("agent_llm_cost_usd_total", ["provider": "openai", "model": "gpt-4o", "token_type": "input"]) == 0.0025)
        #expect(s.value("agent_llm_cost_usd_total", ["provider": "openai", "model": "gpt-4o", "token_type": "output"]) == 0.005)
        let family = try #require(s.family(named: "gen_ai_client_token_usage"))
        #expect(family.info.otlpName == "gen_ai.client.token.usage")
        #expect(family.info.unit?.ucum == "{token}")
        await t.shutdown()
    }

    @Test("sessions: active users follow start and end events, and idle sessions expire")
    func sessions() async throws {
        var config = TelemetryConfiguration()
        config.standardMetrics.sessionIdleTimeout = .seconds(2)
        let clock = ManualClock()
        config.clock = clock.telemetryClock
        let t = try Telemetry(configuration: config).started()
        t.emit(SessionStarted(sessionID: "s1", userID: "alice"))
        t.emit(SessionStarted(sessionID: "s2", userID: "alice"))
        t.emit(SessionStarted(sessionID: "s3", userID: "bob"))
        t.emit(RequestHandled(endpoint: "/chat", method: "POST", status: 200, duration: .milliseconds(5), sessionID: "s3"))
        t.emit(ChatTurn(duration: .milliseconds(5), sessionID: "s3"))
        t.emit(SessionEnded(sessionID: "s3", userID: "bob", duration: .seconds(42)))
        await t.flush()
        var s = t.registry.snapshot()
        #expect(s.value("agent_active_users") == 1)
        #expect(s.value("agent_active_sessions") == 2)
        #expect(s.histogramValue("agent_session_duration_seconds")?.sum == 42)
        #expect(s.histogramValue("agent_session_requests")?.sum == 2)
        // Just under the idle timeout nothing expires; past it, the two idle sessions do.
        clock.advance(by: .milliseconds(1_999))
        s = t.registry.snapshot()
        #expect(s.value("agent_active_sessions") == 2)
        #expect(s.value("agent_sessions_expired_total") == nil || s.value("agent_sessions_expired_total") == 0)
        clock.advance(by: .milliseconds(2))
        s = t.registry.snapshot()
        #expect(s.value("agent_active_users") == 0)
        #expect(s.value("agent_sessions_expired_total") == 2)
        await t.shutdown()
    }

    @Test("caches, memory, planning, workflows, skills and authorization map to their series")
    func otherCoreEvents() async throws {
        let t = try Telemetry().started()
        t.emit(CacheAccess(cache: "embeddings", result: .hit))
        t.emit(CacheAccess(cache: "embeddings", result: .miss))
        t.emit(CacheAccess(cache: "embeddings", result: .eviction))
        t.emit(MemoryOperation(operation: .recall, memoryType: .episodic, result: .success, recallAccuracy: 0.8))
        t.emit(PlanningStep(outcome: .success, duration: .milliseconds(40)))
        t.emit(WorkflowExecuted(workflow: "triage", outcome: .failure, duration: .seconds(2)))
        t.emit(SkillDiscovered(skill: "sql", proficiency: 1.7))
        t.emit(AuthorizationCheck(result: .denied, reason: .expiredCredentials))
        await t.flush()
        let s = t.registry.snapshot()
        #expect(s.value("agent_cache_requests_total", ["cache": "embeddings", "result": "hit"]) == 1)
        #expect(s.value("agent_cache_requests_total", ["cache": "embeddings", "result": "miss"]) == 1)
        #expect(s.value("agent_cache_evictions_total", ["cache": "embeddings"]) == 1)
        #expect(s.value("agent_memory_operations_total", ["operation": "recall", "memory_type": "episodic", "result": "success"]) == 1)
        #expect(s.value("agent_memory_recall_accuracy_last_ratio") == 0.8)
        #expect(s.value("agent_planning_steps_total", ["outcome": "success"]) == 1)
        #expect(s.value("agent_workflow_executions_total", ["workflow": "triage", "outcome": "failure"]) == 1)
        #expect(s.value("agent_skill_proficiency_score", ["skill": "sql"]) == 1, "proficiency is clamped to 0…1")
        #expect(s.value("agent_authorization_checks_total", ["result": "denied", "reason": "expired_credentials"]) == 1)
        await t.shutdown()
    }

    @Test("the namespace prefixes catalog names except the OpenTelemetry GenAI ones")
    func namespace() async throws {
        var config = TelemetryConfiguration()
        config.standardMetrics.namespace = "copilot"
        let t = try Telemetry(configuration: config).started()
        let names = t.registry.familyNames
        #expect(names.contains("copilot_tool_executions_total"))
        #expect(names.contains("gen_ai_client_token_usage"))
        #expect(!names.contains("agent_tool_executions_total"))
        await t.shutdown()
    }

    @Test("an invalid namespace is a clear registration error")
    func invalidNamespace() {
        var config = TelemetryConfiguration()
        config.standardMetrics.namespace = "my-agent"
        #expect(throws: MetricRegistrationError.self) { _ = try Telemetry(configuration: config) }
    }

    @Test("disabled categories register no families")
    func disabledCategories() async throws {
        var config = TelemetryConfiguration()
        config.standardMetrics.disabledCategories = [.llmUsage]
        let t = try Telemetry(configuration: config).started()
        #expect(!t.registry.familyNames.contains("gen_ai_client_token_usage"))
        t.emit(ProviderRequest(provider: .anthropic, model: "claude", outcome: .success, latency: .seconds(1), inputTokens: 5))
        await t.flush()
        #expect(t.registry.snapshot().value("agent_provider_requests_total", ["provider": "anthropic", "model": "claude", "outcome": "success"]) == 1)
        await t.shutdown()
    }

    @Test("bucket overrides replace catalog buckets")
    func bucketOverrides() async throws {
        var config = TelemetryConfiguration()
        config.standardMetrics.bucketOverrides = ["tool_execution_duration_seconds": [0.1, 1]]
        let t = try Telemetry(configuration: config).started()
        t.emit(ToolExecuted(tool: "x", outcome: .success, duration: .milliseconds(500)))
        await t.flush()
        #expect(t.registry.snapshot().histogramValue("agent_tool_execution_duration_seconds", ["tool": "x", "vertical": "general"])?.bucketCounts == [0, 1, 0])
        await t.shutdown()
    }

    @Test("every catalog name is unique and valid, and every histogram has valid buckets")
    func catalogIsConsistent() throws {
        let names = MetricCatalog.all.map { $0.name(namespace: "agent") }
        #expect(Set(names).count == names.count)
        for d in MetricCatalog.all {
            #expect(MetricNameRules.metricNameProblem(d.name(namespace: "agent")) == nil)
            if d.type == .counter { #expect(d.baseName.hasSuffix("_total"), "\(d.baseName)") }
            if d.type == .histogram { #expect(Buckets.problem(d.buckets) == nil, "\(d.baseName)") }
            if let suffix = d.unit?.prometheusSuffix {
                let stem = d.type == .counter ? String(d.baseName.dropLast(6)) : d.baseName
                #expect(stem.hasSuffix("_" + suffix), "\(d.baseName) should end with its unit")
            }
        }
    }
}

@Suite("Measuring for the caller")
struct TrackTests {
    @Test("track measures durations on the configured clock")
    func trackUsesTheConfiguredClock() async throws {
        let clock = ManualClock()
        var config = TelemetryConfiguration(sampleProcess: false)
        config.clock = clock.telemetryClock
        let t = try Telemetry(configuration: config).started()
        let value = await t.track(tool: "slow_tool", vertical: .coding) { () async -> Int in
            clock.advance(by: .milliseconds(3_250))
            return 7
        }
        #expect(value == 7)
        await t.flush()
        let h = try #require(t.registry.snapshot().histogramValue("agent_tool_execution_duration_seconds", ["tool": "slow_tool", "vertical": "coding"]))
        #expect(h.sum == 3.25)
        await t.shutdown()
    }

    struct NotFound: Error {}

    @Test("track(tool:) times the closure on the telemetry's clock, records success and returns its value")
    func trackToolSuccess() async throws {
        try await withTestTelemetry { t in
            let v = await t.telemetry.track(tool: "search", vertical: .research) {
                t.clock.advance(by: .milliseconds(20))
                return 42
            }
            #expect(v == 42)
            await t.settle()
            #expect(t.events(ToolExecuted.self).map(\.duration) == [.milliseconds(20)])
            #expect(t.histogramValue("agent_tool_execution_duration_seconds", ["tool": "search", "vertical": "research"])?.sum == 0.02)
        }
    }

    @Test("track(tool:) records the thrown error's type and rethrows it unchanged")
    func trackToolFailure() async throws {
        try await withTestTelemetry { t in
            await #expect(throws: NotFound.self) {
                try await t.telemetry.track(tool: "read_file", vertical: .coding) { () async throws(NotFound) -> Int in throw NotFound() }
            }
            await t.settle()
            #expect(t.events(ToolExecuted.self).map(\.errorType) == [.custom("NotFound")])
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "read_file", "vertical": "coding", "outcome": "failure"]) == 1)
        }
    }

    @Test("track(provider:) records tokens; track(endpoint:) records status")
    func trackProviderAndHTTP() async throws {
        try await withTestTelemetry { t in
            let answer = try await t.telemetry.track(provider: .anthropic, model: "claude-sonnet") { () async throws -> (value: String, usage: TokenUsage) in
                ("hi", TokenUsage(input: 12, output: 3))
            }
            #expect(answer == "hi")
            _ = try await t.telemetry.track(endpoint: "/v1/chat", method: "POST") { () async throws -> (value: Void, status: Int) in ((), 201) }
            await t.settle()
            #expect(t.counterValue("agent_llm_tokens_total", ["provider": "anthropic", "model": "claude-sonnet", "token_type": "output"]) == 3)
            #expect(t.counterValue("agent_requests_total", ["endpoint": "/v1/chat", "method": "POST", "status": "201"]) == 1)
        }
    }

    @Test("cancellation is recorded as cancelled")
    func cancellation() {
        #expect(ErrorType(CancellationError()) == .cancelled)
        #expect(ErrorType(httpStatus: 429) == .rateLimited)
        #expect(ErrorType(httpStatus: 503) == .serverError)
        #expect(ErrorType(httpStatus: 200) == nil)
    }
}

import Synchronization
