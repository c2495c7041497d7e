import AgentTelemetry
import Foundation

/// A deterministic pseudo-random generator (SplitMix64), so a seeded demo repeats exactly.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    package init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    package mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Log-normal with the given median and spread (sigma of the underlying normal).
    package mutating func logNormal(median: Double, sigma: Double) -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        let z = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        return median * exp(sigma * z)
    }

    /// True with probability `p`.
    package mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A random element.
    package mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

/// A simulated agent workload that exercises every catalog category with realistic
/// distributions: log-normal latencies and token counts, provider errors and rate limits,
/// cache hit ratios, sessions that start, end or go idle, and the work of every vertical.
package struct DemoWorkload: Sendable {
    var rng: SeededGenerator
    var tick = 0
    var liveSessions: [(session: String, user: String, started: Double)] = []
    var nextSession = 0
    var pending = 5
    /// The MCP side of the demo draws from its own generator, so the other events of a seed stay
    /// what they were before it existed.
    var mcp: SeededGenerator
    var mcpSessionStarted: Double?

    /// The model `--scenario unpriced-model` rolls out: one the built-in price table has no price
    /// for (a test holds it to that; "gpt-5-preview", used before, matched the table's gpt-5* glob,
    /// so the scenario's alert could never fire).
    package static let unpricedModel = "gpt-6-preview"

    /// The session budget the demo runs with when its configuration has no `budgets:`: $10, far
    /// above what a normal session of this workload spends (a test holds it to that), and below
    /// what `--scenario token-cost-surge` (40 times the tokens) makes a typical session spend.
    package static let sessionBudget = Budget(name: "demo_session", scope: .session, usd: 10)

    static let providers: [(Provider, String, Double, Double)] = [
        (.openAI, "gpt-4o", 1.2, 0.45), (.openAI, "gpt-4o-mini", 0.6, 0.4),
        (.anthropic, "claude-sonnet-4", 1.6, 0.5), (.gcpGemini, "gemini-2.5-pro", 1.4, 0.5),
    ]
    /// The model each provider says answered (`gen_ai.response.model`): OpenAI names the dated
    /// snapshot behind an alias; the others echo the requested name.
    static let answeredModels = ["gpt-4o": "gpt-4o-2024-08-06", "gpt-4o-mini": "gpt-4o-mini-2024-07-18"]
    /// Each provider's API host (`server.address`; port 443).
    static let hosts = ["openai": "api.openai.com", "anthropic": "api.anthropic.com", "gcp.gemini": "generativelanguage.googleapis.com"]
    /// The agents a request is worked on by (`gen_ai.agent.name` on what they spend).
    static let agents = ["planner", "coder", "researcher"]
    static let tools: [(String, Vertical)] = [
        ("read_file", .coding), ("run_tests", .coding), ("grep_repo", .coding),
        ("vector_search", .rag), ("rerank", .rag), ("kubectl_apply", .devops), ("ci_trigger", .devops),
        ("sql_query", .dataAnalysis), ("plot_chart", .dataAnalysis), ("web_search", .research), ("fetch_url", .research),
    ]

    /// Creates a workload; the same seed gives the same event sequence.
    package init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        mcp = SeededGenerator(seed: seed ^ 0x4D43_5000)
    }

    /// MCP tools the demo agent calls through an MCP server it also hosts (both sides measured).
    static let mcpTools = ["search_docs", "create_ticket", "query_metrics"]
    /// The protocol version the demo's MCP sessions negotiate.
    static let mcpProtocolVersion = "2025-06-18"

    /// Events announcing start-up (initialisation of components).
    package mutating func startupEvents() -> [any TelemetryEvent] {
        ["model_router", "vector_index", "tool_registry", "memory_store"].map {
            InitializationCompleted(component: $0, duration: .milliseconds(Int64(rng.logNormal(median: 300, sigma: 0.8))))
        }
    }

    /// The events of one simulated agent request (10–20 events).
    package mutating func nextRequest() -> [any TelemetryEvent] {
        tick += 1
        var out: [any TelemetryEvent] = []
        // Sessions come and go, between 20 and 200 at a time whatever the request rate; one in
        // 500 never sends its end event and is expired by the idle timeout, so the number of
        // sessions the library tracks stays bounded too.
        if liveSessions.count < 20 || (liveSessions.count < 200 && rng.chance(0.04)) {
            nextSession += 1
            let s = (session: "s\(nextSession)", user: "user\(Int(rng.next() % 40))", started: Double(tick))
            liveSessions.append(s)
            out.append(SessionStarted(sessionID: s.session, userID: s.user))
        }
        let session = rng.pick(liveSessions)
        if rng.chance(0.04), let i = liveSessions.firstIndex(where: { $0.session == session.session }) {
            liveSessions.remove(at: i)
            if rng.chance(0.998) {
                out.append(SessionEnded(sessionID: session.session, userID: session.user,
                                        duration: .milliseconds(Int64(rng.logNormal(median: 240_000, sigma: 0.9)))))
            }
        }
        let auth = rng.chance(0.02)
        out.append(AuthorizationCheck(result: auth ? .denied : .allowed,
                                      reason: auth ? rng.pick([.expiredCredentials, .insufficientPermissions, .invalidCredentials]) : .granted))
        if auth {
            out.append(RequestHandled(endpoint: "/v1/chat", method: "POST", status: 401, duration: .milliseconds(3), sessionID: session.session))
            return out
        }
        let (provider, model, median, sigma) = rng.pick(Self.providers)
        let agent = rng.pick(Self.agents)
        let failed = rng.chance(0.04)
        let errorType: ErrorType? = failed ? rng.pick([.rateLimited, .rateLimited, .timeout, .serverError]) : nil
        let latency = rng.logNormal(median: median, sigma: sigma) * (errorType == .timeout ? 10 : 1)
        // Token usage as each provider reports it: OpenAI counts cached tokens inside the prompt
        // and reasoning inside the completion; Anthropic reports cache reads and writes apart.
        let prompt = failed ? 0 : Int(rng.logNormal(median: 900, sigma: 0.7))
        let completion = failed ? 0 : Int(rng.logNormal(median: 280, sigma: 0.6))
        let cached = failed || !rng.chance(0.6) ? 0 : Int(Double(prompt) * (0.3 + 0.5 * rng.unit()))
        let anthropic = provider == .anthropic
        let streamed = !failed && rng.chance(0.5)
        // A streamed response arrives in chunks of ~20 tokens, each ~15 ms after the previous one.
        let chunks = streamed ? (1...max(1, min(completion / 20, 40))).map { _ in
            Duration.milliseconds(Int64(rng.logNormal(median: 15, sigma: 0.4)))
        } : []
        out.append(ProviderRequest(
            provider: provider, model: model, outcome: failed ? (errorType == .timeout ? .timeout : .failure) : .success,
            latency: .milliseconds(Int64(latency * 1000)),
            inputTokens: anthropic ? prompt - cached : prompt, outputTokens: completion,
            cacheReadTokens: cached, cacheCreationTokens: anthropic && !failed && rng.chance(0.1) ? prompt / 2 : 0,
            reasoningTokens: provider == .openAI && !failed && rng.chance(0.3) ? completion / 3 : 0,
            timeToFirstToken: failed ? nil : .milliseconds(Int64(latency * 1000 * 0.25)), errorType: errorType,
            sessionID: session.session, responseModel: failed ? nil : Self.answeredModels[model] ?? model,
            serverAddress: Self.hosts[provider.labelValue], serverPort: 443, outputChunkIntervals: chunks, agentName: agent))
        out.append(PlanningStep(outcome: rng.chance(0.93) ? .success : .failure, duration: .milliseconds(Int64(rng.logNormal(median: 120, sigma: 0.5)))))
        let (tool, vertical) = rng.pick(Self.tools)
        let toolOK = rng.chance(0.97)
        let toolSeconds = rng.logNormal(median: 0.15, sigma: 1.0)
        out.append(ToolExecuted(tool: tool, vertical: vertical, outcome: toolOK ? .success : .failure,
                                duration: .milliseconds(Int64(toolSeconds * 1000)), errorType: toolOK ? nil : .custom("ToolError"),
                                sessionID: session.session, agentName: agent))
        out.append(contentsOf: verticalWork(vertical))
        out.append(CacheAccess(cache: rng.pick(["embeddings", "llm_responses"]), result: rng.chance(0.72) ? .hit : .miss))
        if rng.chance(0.05) { out.append(CacheAccess(cache: "llm_responses", result: .eviction)) }
        out.append(MemoryOperation(operation: .recall, memoryType: rng.pick([.episodic, .semantic, .longTerm]),
                                   result: rng.chance(0.85) ? .success : .miss, duration: .milliseconds(Int64(rng.logNormal(median: 20, sigma: 0.6))),
                                   recallAccuracy: min(1, max(0, 0.82 + (rng.unit() - 0.5) * 0.3))))
        if rng.chance(0.3) { out.append(MemoryOperation(operation: .store, result: .success)) }
        if rng.chance(0.2) { out.append(FeatureUsed(feature: rng.pick(["web_search", "code_review", "file_upload", "voice"]))) }
        if rng.chance(0.25) {
            let ok = rng.chance(0.95)
            out.append(AgentInvoked(agent: agent, outcome: ok ? .success : .failure,
                                    duration: .seconds(rng.logNormal(median: 3, sigma: 0.6)),
                                    errorType: ok ? nil : .custom("AgentError"), sessionID: session.session))
        }
        if rng.chance(0.1) { out.append(WorkflowExecuted(workflow: rng.pick(["triage", "release", "research_report"]), outcome: rng.chance(0.92) ? .success : .failure, duration: .seconds(rng.logNormal(median: 8, sigma: 0.7)))) }
        if rng.chance(0.02) { out.append(SkillDiscovered(skill: rng.pick(["sql", "kubernetes", "swift", "statistics"]), proficiency: rng.unit())) }
        if rng.chance(0.05) { out.append(SelfImprovementLoop(outcome: rng.chance(0.7) ? .success : .failure, iterations: 1 + Int(rng.next() % 4))) }
        if rng.chance(0.03) { out.append(SecurityTestCompleted(suite: rng.pick(["prompt_injection", "jailbreak", "pii_leak"]), outcome: rng.chance(0.96) ? .success : .failure)) }
        if rng.chance(0.01) { out.append(VulnerabilityFound(severity: rng.pick([.low, .medium, .high, .critical]), scanner: "trivy")) }
        if rng.chance(0.01) { out.append(SecurityScanCompleted(scanner: "trivy", duration: .seconds(rng.logNormal(median: 45, sigma: 0.4)))) }
        if tick % 50 == 0 {
            out.append(ComponentMemoryReported(component: "vector_index", bytes: 50_000_000 + Int(rng.next() % 5_000_000)))
            out.append(ComponentMemoryReported(component: "memory_store", bytes: 12_000_000 + Int(rng.next() % 2_000_000)))
            out.append(IndexSizeReported(index: "docs", documents: 12_000 + tick / 10, bytes: 80_000_000 + tick * 100))
            pending = max(0, pending + Int(rng.next() % 5) - 2)
            out.append(CodingQueueChanged(pending: pending))
        }
        let status = failed ? (errorType == .rateLimited ? 429 : 502) : (rng.chance(0.01) ? 500 : 200)
        let total = latency + toolSeconds + 0.05
        out.append(ChatTurn(duration: .milliseconds(Int64(total * 1000)), outcome: status == 200 ? .success : .failure, sessionID: session.session))
        out.append(RequestHandled(endpoint: rng.pick(["/v1/chat", "/v1/chat", "/v1/agents/run"]), method: "POST", status: status,
                                  duration: .milliseconds(Int64(total * 1000)), sessionID: session.session))
        out.append(contentsOf: mcpWork(agent: agent))
        return out
    }

    /// A tool call through MCP in about a third of the requests, measured on the client and on the
    /// server side, and a session that is reopened now and then.
    mutating func mcpWork(agent: String) -> [any TelemetryEvent] {
        var out: [any TelemetryEvent] = []
        let version = Self.mcpProtocolVersion
        if let started = mcpSessionStarted, mcp.chance(0.01) {
            let duration = Duration.seconds(Double(tick) - started + 1)
            for side in [MCPSide.client, .server] {
                out.append(MCPSessionEnded(side: side, duration: duration, networkTransport: "pipe", protocolVersion: version))
            }
            mcpSessionStarted = nil
        }
        if mcpSessionStarted == nil {
            mcpSessionStarted = Double(tick)
            for side in [MCPSide.client, .server] { out.append(MCPSessionStarted(side: side, networkTransport: "pipe")) }
            out.append(contentsOf: [MCPSide.client, .server].map {
                MCPOperation(side: $0, method: "initialize", outcome: .success, duration: .milliseconds(4), networkTransport: "pipe",
                             protocolVersion: version, agentName: agent)
            })
        }
        guard mcp.chance(0.3) else { return out }
        let tool = mcp.pick(Self.mcpTools)
        let draw = mcp.unit()
        // 2.5% of calls fail, under the 5% at which AgentToolFailureRateHigh fires: the client side
        // of a tools/call is an agent tool execution too.
        let outcome: MCPOutcome = draw < 0.015 ? .toolError : draw < 0.02 ? .jsonRPCError(code: -32602) : draw < 0.025 ? .timeout : .success
        let serverSeconds = outcome == .timeout ? 60 : mcp.logNormal(median: 0.12, sigma: 0.8)
        let clientSeconds = outcome == .timeout ? 60 : serverSeconds + mcp.logNormal(median: 0.004, sigma: 0.5)
        for (side, seconds) in [(MCPSide.client, clientSeconds), (.server, serverSeconds)] {
            out.append(MCPOperation(side: side, method: "tools/call", toolName: tool, outcome: outcome, duration: .seconds(seconds),
                                    networkTransport: "pipe", protocolVersion: version, agentName: agent))
        }
        if mcp.chance(0.1) {
            for side in [MCPSide.client, .server] {
                out.append(MCPOperation(side: side, method: "tools/list", outcome: .success, duration: .milliseconds(3),
                                        networkTransport: "pipe", protocolVersion: version, agentName: agent))
            }
        }
        return out
    }

    mutating func verticalWork(_ vertical: Vertical) -> [any TelemetryEvent] {
        switch vertical {
        case .coding:
            var e: [any TelemetryEvent] = [CodeAnalysisCompleted(
                language: rng.pick(["swift", "python", "go"]), filesAnalyzed: 1 + Int(rng.next() % 20),
                linesReviewed: Int(rng.logNormal(median: 600, sigma: 0.8)),
                issues: [.low: Int(rng.next() % 4), .medium: Int(rng.next() % 2), .high: rng.chance(0.2) ? 1 : 0],
                duration: .seconds(rng.logNormal(median: 2, sigma: 0.6)), outcome: rng.chance(0.95) ? .success : .failure)]
            if rng.chance(0.3) { e.append(TestsGenerated(language: "swift", count: 1 + Int(rng.next() % 8))) }
            return e
        case .rag:
            var e: [any TelemetryEvent] = [RetrievalPerformed(
                index: "docs", latency: .milliseconds(Int64(rng.logNormal(median: 90, sigma: 0.6))), results: 5,
                accuracy: min(1, max(0, 0.78 + (rng.unit() - 0.5) * 0.3)), outcome: rng.chance(0.98) ? .success : .failure)]
            if rng.chance(0.1) { e.append(DocumentsIngested(source: rng.pick(["confluence", "web", "s3"]), count: 1 + Int(rng.next() % 50))) }
            return e
        case .devops:
            var e: [any TelemetryEvent] = [PipelineRunCompleted(pipeline: "main", outcome: rng.chance(0.9) ? .success : .failure, duration: .seconds(rng.logNormal(median: 240, sigma: 0.4)))]
            if rng.chance(0.3) { e.append(DeploymentCompleted(environment: rng.pick(["staging", "production"]), outcome: rng.chance(0.94) ? .success : .failure, duration: .seconds(rng.logNormal(median: 90, sigma: 0.5)))) }
            if rng.chance(0.3) { e.append(ContainersManaged(action: rng.pick(["start", "restart", "scale"]), count: 1 + Int(rng.next() % 5))) }
            return e
        case .dataAnalysis:
            var e: [any TelemetryEvent] = [DataQueryExecuted(source: rng.pick(["postgres", "bigquery"]), outcome: rng.chance(0.96) ? .success : .failure, duration: .milliseconds(Int64(rng.logNormal(median: 300, sigma: 0.9))))]
            if rng.chance(0.4) { e.append(VisualizationCreated(kind: rng.pick(["line", "bar", "table"]))) }
            return e
        case .research:
            var e: [any TelemetryEvent] = [ResearchSearchPerformed(source: rng.pick(["web", "arxiv"]), citations: Int(rng.next() % 9), outcome: rng.chance(0.97) ? .success : .failure)]
            if rng.chance(0.3) { e.append(SynthesisCompleted(duration: .seconds(rng.logNormal(median: 6, sigma: 0.5)))) }
            return e
        case .general, .custom:
            return []
        }
    }
}
