import AgentTelemetry
import AgentTelemetryRuntime

/// How an incident bends the demo's normal workload. Every knob is a parameter of the events the
/// workload already emits (a share that fails, a latency factor, a forced hit rate...), applied
/// to each simulated request as a whole, so a provider outage also turns that request's HTTP
/// status into a 502 the way a real agent would. The neutral value of every knob leaves the
/// workload unchanged.
struct IncidentKnobs: Sendable {
    /// The provider (`gen_ai.provider.name` label value) the provider knobs apply to; nil: all.
    var provider: String? = nil
    /// Share of that provider's requests that fail, with `providerError`.
    var providerFailure = 0.0
    /// How they fail: `.serverError` (HTTP 502 to the user), `.rateLimited` (429), `.timeout`.
    var providerError: ErrorType = .serverError
    /// Factor on provider latency, time to first token and the request and chat-turn durations.
    var latencyFactor = 1.0
    /// Share of provider requests answered by a model the price table does not price.
    var unpricedShare = 0.0
    /// Factor on the tokens of every provider request (a loop that re-sends its whole history
    /// with each call): the cost grows with it.
    var tokenFactor = 1
    /// The tool whose executions fail with `toolFailure`; nil: every tool.
    var tool: String? = nil
    var toolFailure = 0.0
    /// The cache whose lookups hit with this probability instead of the workload's; nil: unchanged.
    var cache: String? = nil
    var cacheHitRate: Double? = nil
    /// Share of security test runs (of every suite) that fail.
    var securityFailure = 0.0
    /// Deployments to this environment fail with `deploymentFailure`.
    var deploymentEnvironment: String? = nil
    var deploymentFailure = 0.0
    /// Share of planning steps that fail (on top of the workload's own failures).
    var planningFailure = 0.0
    /// Recall accuracy of memory recalls while the incident lasts; nil: unchanged.
    var recallAccuracy: Double? = nil
    /// Factor on RAG retrieval latency.
    var retrievalLatencyFactor = 1.0
    /// Analyses added to every coding-queue report.
    var codingBacklog = 0
    /// The MCP tool whose calls fail (`isError`) with `mcpToolFailure` and take `mcpLatencyFactor`
    /// times longer, on both sides of the connection; nil: every MCP tool.
    var mcpTool: String? = nil
    var mcpToolFailure = 0.0
    var mcpLatencyFactor = 1.0
    /// Extra events emitted in one burst every second (a runaway loop flooding the bus).
    var eventBurstPerSecond = 0
    /// The process dies at the start of the incident (exit status 70, no final flush), as a crash
    /// does; what restarts it (systemd, Kubernetes, the end-to-end test) ends the incident.
    var crash = false
    /// The share of its memory limit the process grows to by holding memory it never frees (a
    /// cache without eviction); given back when the incident ends. 0: no leak.
    var memoryLeakShare = 0.0
    /// Spin on every processor (up to 4 threads) without sleeping, as a retry loop without backoff
    /// does; the threads stop when the incident ends.
    var spin = false
}

/// An incident `agent-telemetry demo --scenario NAME` plays: after `--scenario-start` seconds of
/// normal workload it bends the workload (`knobs`) for `--scenario-duration` seconds, then the
/// workload recovers.
struct DemoScenario: Sendable {
    /// The name given to `--scenario`.
    let name: String
    /// What the incident is, in an operator's words.
    let summary: String
    /// The shipped alerts (configs/prometheus/alerting_rules.yml) this incident must fire and
    /// Alertmanager must deliver; the end-to-end test (AlertEndToEndTests) holds it to this list.
    let alerts: [String]
    /// Alerts it also fires that Alertmanager inhibits (a critical of the same component), so
    /// they are not delivered while the critical one fires.
    var inhibited: [String] = []
    /// How the workload is bent.
    let knobs: IncidentKnobs

    /// Every scenario, the one table of incidents: `--scenario list`, the demo and the
    /// end-to-end alert test all read it. Two shipped alerts have no scenario, on purpose (see
    /// `unplayable`).
    static let all: [DemoScenario] = [
        .init(name: "provider-outage",
              summary: "OpenAI answers 5xx to 70% of requests: provider errors, and the agent returns 502 to its users",
              alerts: ["AgentProviderErrorRateCritical", "AgentHighErrorRate"],
              knobs: .init(provider: "openai", providerFailure: 0.7, providerError: .serverError)),
        .init(name: "provider-rate-limit",
              summary: "Anthropic rejects 40% of requests with 429 (quota exhausted)",
              alerts: ["AgentProviderErrorRateCritical"], inhibited: ["AgentProviderRateLimited"],
              knobs: .init(provider: "anthropic", providerFailure: 0.4, providerError: .rateLimited)),
        .init(name: "provider-timeouts",
              summary: "Gemini requests time out (30%): the provider hangs until the client gives up",
              alerts: ["AgentProviderErrorRateCritical", "AgentHighErrorRate"], inhibited: ["AgentProviderTimeouts"],
              knobs: .init(provider: "gcp.gemini", providerFailure: 0.3, providerError: .timeout)),
        .init(name: "latency-spike",
              summary: "Every provider answers 5 times slower: p95 request time between 10 s and 30 s",
              alerts: ["AgentResponseTimeHigh"],
              knobs: .init(latencyFactor: 5)),
        .init(name: "latency-meltdown",
              summary: "Every provider answers 25 times slower: p95 request time above 30 s",
              alerts: ["AgentResponseTimeCritical"], inhibited: ["AgentResponseTimeHigh"],
              knobs: .init(latencyFactor: 25)),
        .init(name: "unpriced-model",
              summary: "A new model is rolled out before the price table knows it: 30% of requests have no cost",
              alerts: ["AgentLLMUnpricedRequests"],
              knobs: .init(unpricedShare: 0.3)),
        .init(name: "token-cost-surge",
              summary: "A prompt loop re-sends its whole history with every call: 40 times the tokens, sessions run past the demo's $10 session budget (or the configuration's budgets:)",
              alerts: ["AgentBudgetExceeded"],
              knobs: .init(tokenFactor: 40)),
        .init(name: "tool-error-burst",
              summary: "The vector_search tool fails 80% of its executions (its index service is down)",
              alerts: ["AgentToolFailureRateHigh", "AgentVerticalSuccessRateLow"],
              knobs: .init(tool: "vector_search", toolFailure: 0.8)),
        .init(name: "cache-collapse",
              summary: "The LLM response cache is flushed and keeps missing: 10% hits instead of 72%",
              alerts: ["AgentCacheMissRateHigh"],
              knobs: .init(cache: "llm_responses", cacheHitRate: 0.1)),
        .init(name: "prompt-injection",
              summary: "A prompt-injection campaign: 40% of security test runs fail",
              alerts: ["AgentSecurityTestPassRateLow"],
              knobs: .init(securityFailure: 0.4)),
        .init(name: "deployment-failures",
              summary: "Production deployments fail 70% of the time (a broken release pipeline)",
              alerts: ["AgentDevOpsDeploymentFailures"],
              knobs: .init(deploymentEnvironment: "production", deploymentFailure: 0.7)),
        .init(name: "planning-degradation",
              summary: "A bad prompt change: 45% of planning steps fail",
              alerts: ["AgentPlanningSuccessRateLow"],
              knobs: .init(planningFailure: 0.45)),
        .init(name: "memory-recall-drift",
              summary: "The memory store's embeddings drift: recall accuracy falls to 50%",
              alerts: ["AgentMemoryRecallAccuracyLow"],
              knobs: .init(recallAccuracy: 0.5)),
        .init(name: "rag-slowdown",
              summary: "The vector index is overloaded: retrievals take 25 times longer (p95 above 2 s)",
              alerts: ["AgentRAGRetrievalSlow"],
              knobs: .init(retrievalLatencyFactor: 25)),
        .init(name: "coding-backlog",
              summary: "Code analyses pile up: 80 more waiting than the workers drain",
              alerts: ["AgentCodingBacklogHigh"],
              knobs: .init(codingBacklog: 80)),
        .init(name: "mcp-tool-outage",
              summary: "The backend of MCP tool search_docs degrades: half its calls return isError, and every call takes 60 times longer",
              // The agents' side of those calls are tool executions: their failures fire the tool alert too.
              alerts: ["AgentMCPServerToolErrorRateHigh", "AgentMCPServerLatencyHigh", "AgentToolFailureRateHigh"],
              knobs: .init(mcpTool: "search_docs", mcpToolFailure: 0.5, mcpLatencyFactor: 60)),
        .init(name: "bus-overload",
              summary: "A runaway loop emits a million events a second in one burst: the telemetry bus drops events",
              alerts: ["AgentTelemetryEventsDropped"],
              // 15 times the default bus capacity: with 3 times as much, a contended machine
              // let the dispatcher keep up with some bursts, and the alert resolved mid-incident.
              knobs: .init(eventBurstPerSecond: 1_000_000)),
        .init(name: "crash",
              summary: "The agent process dies and is restarted later: Prometheus cannot scrape it",
              alerts: ["AgentTargetDown"],
              knobs: .init(crash: true)),
        // The resource incidents are real: the process sampler reads them from the operating
        // system. They are measured against the limits the configuration declares
        // (metrics.process_memory_limit, metrics.process_cpu_limit) or the cgroup's, so the
        // demo refuses memory-leak when that limit is larger than `maximumLeakLimitBytes`.
        .init(name: "memory-leak",
              summary: "A response cache that never evicts: resident memory grows to 95% of the process' memory limit",
              alerts: ["AgentMemoryUsageCritical"], inhibited: ["AgentMemoryUsageHigh"],
              knobs: .init(memoryLeakShare: 0.95)),
        .init(name: "cpu-hot-loop",
              summary: "A retry loop without backoff spins on every processor: CPU use far above the process' CPU limit",
              alerts: ["AgentCPUUsageHigh"],
              knobs: .init(spin: true)),
    ]

    /// Shipped alerts no demo scenario plays, and why (none today; the end-to-end test checks
    /// that the table and this list together cover every shipped alert).
    static let unplayable: [String: String] = [:]

    /// The largest memory limit `memory-leak` grows a process towards: 4 GiB. Beyond it the demo
    /// refuses the scenario and asks for `metrics.process_memory_limit`, rather than take the
    /// machine's memory away from everything else on it.
    static let maximumLeakLimitBytes = 4.0 * 1024 * 1024 * 1024

    /// The scenario named `name`, if any.
    static func named(_ name: String) -> DemoScenario? { all.first { $0.name == name } }

    /// `--scenario list`: one line per scenario with the alerts it fires, then the alerts no
    /// scenario plays.
    static func listing() -> String {
        let width = all.map(\.name.count).max() ?? 0
        var lines = all.map { s in
            s.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + s.summary
                + "\n" + String(repeating: " ", count: width + 2) + "fires: " + s.alerts.joined(separator: ", ")
                + (s.inhibited.isEmpty ? "" : " (inhibits: " + s.inhibited.joined(separator: ", ") + ")")
        }
        if !unplayable.isEmpty {
            lines.append("not played by any scenario: " + unplayable.keys.sorted().map { "\($0) (\(unplayable[$0] ?? ""))" }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}

/// The scenarios of one demo run and when they play: the overlay the driver applies to each
/// request's events.
struct ScenarioPlan: Sendable {
    var scenarios: [DemoScenario]
    /// Seconds of normal workload before the incidents start.
    var start: Double
    /// Seconds the incidents last; afterwards the workload is normal again.
    var duration: Double

    /// Whether the incidents play at `elapsed` seconds into the run.
    func isActive(at elapsed: Double) -> Bool {
        !scenarios.isEmpty && elapsed >= start && elapsed < start + duration
    }

    var crashes: Bool { scenarios.contains { $0.knobs.crash } }
    var memoryLeakShare: Double { scenarios.map(\.knobs.memoryLeakShare).max() ?? 0 }
    var spins: Bool { scenarios.contains { $0.knobs.spin } }
    var eventBurstPerSecond: Int { scenarios.reduce(0) { $0 + $1.knobs.eventBurstPerSecond } }

    /// One request's events with every active scenario's knobs applied, in table order; with no
    /// scenario playing, the normal workload (`IncidentKnobs()`).
    func apply(_ events: [any TelemetryEvent], playing: Bool, using rng: inout SeededGenerator) -> [any TelemetryEvent] {
        guard playing, !scenarios.isEmpty else { return Self.apply(IncidentKnobs(), to: events, using: &rng) }
        var out = events
        for scenario in scenarios { out = Self.apply(scenario.knobs, to: out, using: &rng) }
        return out
    }

    /// The most analyses a healthy agent has waiting. DemoWorkload's queue is a random walk with
    /// no pull back to a level, so at the default 50 requests/s it wanders past
    /// AgentCodingBacklogHigh's 50 within an hour or so of normal running (the end-to-end alert
    /// test found it at 300 requests/s within minutes); healthy workers keep it under this bound.
    static let healthyCodingQueue = 20

    static func apply(_ k: IncidentKnobs, to events: [any TelemetryEvent], using rng: inout SeededGenerator) -> [any TelemetryEvent] {
        var failedWith: ErrorType?  // the provider error this request now ends with, if the knobs made one
        var out: [any TelemetryEvent] = []
        out.reserveCapacity(events.count)
        func scaled(_ d: Duration, _ factor: Double) -> Duration { factor == 1 ? d : .seconds(d.seconds * factor) }
        for event in events {
            switch event {
            case var e as ProviderRequest:
                let ours = k.provider.map { $0 == e.provider.labelValue } ?? true
                if ours && k.providerFailure > 0 && e.outcome == .success && rng.chance(k.providerFailure) {
                    let error = k.providerError
                    e.outcome = error == .timeout ? .timeout : .failure
                    e.errorType = error
                    // The client gives up after a few times the usual latency.
                    if error == .timeout { e.latency = scaled(e.latency, 3) }
                    e.inputTokens = 0; e.outputTokens = 0; e.cacheReadTokens = 0; e.cacheCreationTokens = 0; e.reasoningTokens = 0
                    e.timeToFirstToken = nil; e.responseModel = nil; e.outputChunkIntervals = []
                    failedWith = error
                }
                e.latency = scaled(e.latency, k.latencyFactor)
                e.timeToFirstToken = e.timeToFirstToken.map { scaled($0, k.latencyFactor) }
                if k.tokenFactor != 1 {
                    e.inputTokens *= k.tokenFactor
                    e.cacheReadTokens *= k.tokenFactor
                    e.outputTokens *= k.tokenFactor
                }
                if k.unpricedShare > 0 && rng.chance(k.unpricedShare) {
                    e.model = DemoWorkload.unpricedModel
                    if e.responseModel != nil { e.responseModel = DemoWorkload.unpricedModel + "-2026-11-01" }
                }
                out.append(e)
            case var e as RequestHandled:
                if e.status != 401 {
                    e.duration = scaled(e.duration, k.latencyFactor)
                    if let failedWith { e.status = failedWith == .rateLimited ? 429 : 502 }
                }
                out.append(e)
            case var e as ChatTurn:
                e.duration = scaled(e.duration, k.latencyFactor)
                if failedWith != nil { e.outcome = .failure }
                out.append(e)
            case var e as ToolExecuted:
                if k.toolFailure > 0 && (k.tool.map { $0 == e.tool } ?? true) && rng.chance(k.toolFailure) {
                    e.outcome = .failure
                    e.errorType = .custom("ToolError")
                }
                out.append(e)
            case var e as CacheAccess:
                if let rate = k.cacheHitRate, k.cache.map({ $0 == e.cache }) ?? true, e.result == .hit || e.result == .miss {
                    e.result = rng.chance(rate) ? .hit : .miss
                }
                out.append(e)
            case var e as SecurityTestCompleted:
                if k.securityFailure > 0 && rng.chance(k.securityFailure) { e.outcome = .failure }
                out.append(e)
            case var e as DeploymentCompleted:
                if k.deploymentFailure > 0 && (k.deploymentEnvironment.map { $0 == e.environment } ?? true) && rng.chance(k.deploymentFailure) {
                    e.outcome = .failure
                }
                out.append(e)
            case var e as PlanningStep:
                if k.planningFailure > 0 && rng.chance(k.planningFailure) { e.outcome = .failure }
                out.append(e)
            case var e as MemoryOperation:
                if let accuracy = k.recallAccuracy, e.recallAccuracy != nil {
                    e.recallAccuracy = min(1, max(0, accuracy + (rng.unit() - 0.5) * 0.2))
                }
                out.append(e)
            case var e as RetrievalPerformed:
                e.latency = scaled(e.latency, k.retrievalLatencyFactor)
                out.append(e)
            case var e as MCPOperation:
                if e.method == "tools/call", k.mcpTool.map({ $0 == e.toolName }) ?? true {
                    if k.mcpToolFailure > 0 && e.outcome == .success && rng.chance(k.mcpToolFailure) { e.outcome = .toolError }
                    e.duration = scaled(e.duration, k.mcpLatencyFactor)
                }
                out.append(e)
            case var e as CodingQueueChanged:
                e.pending = min(e.pending, Self.healthyCodingQueue) + k.codingBacklog
                out.append(e)
            default:
                out.append(event)
            }
        }
        return out
    }
}
