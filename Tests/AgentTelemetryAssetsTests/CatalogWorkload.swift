import AgentTelemetry

/// A realistic slice of agent activity: at least one event of every type in
/// `MetricCatalog.standardEventTypes`, with a mix of outcomes so that success, failure and error
/// series all exist. `round` varies values so that gauges and histograms move between scrapes.
enum CatalogWorkload {
    /// A session budget, so the budget gauges have series (`TelemetryConfiguration.budgets`).
    static let budget = Budget(name: "catalog_session", scope: .session, usd: 1)

    static let prices: [String: ModelRates] = [
        "openai/gpt-4o": ModelRates(input: 2.5, output: 10, cacheRead: 1.25),
        "anthropic/claude-sonnet": ModelRates(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
    ]

    static func events(round: Int) -> [any StandardEvent] {
        let ms: (Int) -> Duration = { .milliseconds($0 + (round % 7) * 3) }
        let user = "user-\(round % 5)"
        return [
            // Performance, functional, LLM usage, business
            ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: ms(12)),
            ToolExecuted(tool: "web_search", vertical: .research, outcome: round % 4 == 0 ? .timeout : .success, duration: ms(800)),
            ToolExecuted(tool: "kubectl", vertical: .devops, outcome: .failure, duration: ms(300), errorType: .serverError),
            ToolExecuted(tool: "sql", vertical: .dataAnalysis, outcome: .success, duration: ms(90)),
            ToolExecuted(tool: "retrieve", vertical: .rag, outcome: .partial, duration: ms(40)),
            ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: ms(20), sessionID: "s-\(round - 1)"),
            ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: ms(1200),
                            inputTokens: 900 + round, outputTokens: 250, cacheReadTokens: 400, reasoningTokens: 50,
                            timeToFirstToken: ms(300), sessionID: "s-\(round - 1)", responseModel: "gpt-4o-2024-08-06",
                            serverAddress: "api.openai.com", serverPort: 443, outputChunkIntervals: [ms(20), ms(35), ms(60)],
                            agentName: "planner"),
            ProviderRequest(provider: .anthropic, model: "claude-sonnet", outcome: .success, latency: ms(1500),
                            inputTokens: 1200, outputTokens: 400, cacheReadTokens: 3000, cacheCreationTokens: 500,
                            timeToFirstToken: ms(350)),
            ProviderRequest(provider: .mistralAI, model: "mistral-large", outcome: .success, latency: ms(900),
                            inputTokens: 300, outputTokens: 100),
            ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .failure, latency: ms(50), errorType: .rateLimited),
            ProviderRequest(provider: .anthropic, model: "claude-sonnet", outcome: .timeout, latency: ms(30_000), errorType: .timeout),
            ChatTurn(duration: ms(2500), outcome: .success, sessionID: "s-\(round)"),
            ChatTurn(duration: ms(4000), outcome: .failure),
            RequestHandled(endpoint: "/v1/chat", method: "POST", status: 200, duration: ms(2400)),
            RequestHandled(endpoint: "/v1/chat", method: "POST", status: 502, duration: ms(60)),
            RequestHandled(endpoint: "/v1/tasks", method: "GET", status: 200, duration: ms(15)),
            WorkflowExecuted(workflow: "triage", outcome: .success, duration: ms(5000)),
            WorkflowExecuted(workflow: "triage", outcome: .failure, duration: ms(700)),
            CacheAccess(cache: "prompt", result: .hit),
            CacheAccess(cache: "prompt", result: .miss),
            CacheAccess(cache: "embeddings", result: .hit),
            FeatureUsed(feature: "code_review"),
            InitializationCompleted(component: "vector_store", duration: ms(250)),
            ComponentMemoryReported(component: "vector_store", bytes: 64 << 20 + round * 1024),
            SessionStarted(sessionID: "s-\(round)", userID: user),
            SessionEnded(sessionID: "s-\(round - 1)", userID: "user-\((round - 1) % 5)", duration: .seconds(40 + round)),
            // An MCP server this agent hosts and calls (both sides), a session reopened each round.
            MCPSessionStarted(side: .client, networkTransport: "pipe"),
            MCPSessionStarted(side: .server, networkTransport: "pipe"),
            MCPOperation(side: .client, method: "tools/call", toolName: "search_docs", outcome: .success, duration: ms(140),
                         networkTransport: "pipe", protocolVersion: "2025-06-18"),
            MCPOperation(side: .server, method: "tools/call", toolName: "search_docs", outcome: .success, duration: ms(120),
                         networkTransport: "pipe", protocolVersion: "2025-06-18"),
            MCPOperation(side: .server, method: "tools/call", toolName: "search_docs", outcome: round % 3 == 0 ? .toolError : .success,
                         duration: ms(90), networkTransport: "pipe", protocolVersion: "2025-06-18"),
            MCPSessionEnded(side: .client, duration: .seconds(30 + round), networkTransport: "pipe", protocolVersion: "2025-06-18"),
            MCPSessionEnded(side: .server, duration: .seconds(30 + round), networkTransport: "pipe", protocolVersion: "2025-06-18"),
            // Emitted by `emit` when a session reaches a budget; here directly, so every round has one.
            BudgetExceeded(budget: CatalogWorkload.budget.name, scope: .session, subject: "s\(round)", unit: .usd, limit: 1, spent: 1.25),
            // Agentic
            AgentInvoked(agent: "planner", outcome: .success, duration: ms(3000), sessionID: "s-\(round - 1)"),
            AgentInvoked(agent: "coder", outcome: .failure, duration: ms(9000), errorType: .timeout),
            PlanningStep(outcome: .success, duration: ms(400)),
            PlanningStep(outcome: .failure, duration: ms(900)),
            MemoryOperation(operation: .recall, memoryType: .semantic, result: .success, duration: ms(8), recallAccuracy: 0.85),
            MemoryOperation(operation: .recall, memoryType: .episodic, result: .miss, duration: ms(6), recallAccuracy: 0.4),
            MemoryOperation(operation: .store, memoryType: .longTerm, result: .success, duration: ms(4)),
            SkillDiscovered(skill: "terraform", proficiency: 0.6),
            SelfImprovementLoop(outcome: .success, iterations: 3),
            // Verticals
            CodeAnalysisCompleted(language: "swift", filesAnalyzed: 12, linesReviewed: 1800,
                                  issues: [.high: 1, .low: 4], duration: ms(3200)),
            CodeAnalysisCompleted(language: "python", filesAnalyzed: 3, linesReviewed: 200, duration: ms(900), outcome: .failure),
            TestsGenerated(language: "swift", count: 5),
            CodingQueueChanged(pending: 3 + round % 4),
            DocumentsIngested(source: "confluence", count: 40),
            RetrievalPerformed(index: "docs", latency: ms(120), results: 8, accuracy: 0.75),
            RetrievalPerformed(index: "code", latency: ms(60), results: 0, accuracy: 0.2, outcome: .failure),
            IndexSizeReported(index: "docs", documents: 10_000 + round, bytes: 512 << 20),
            DeploymentCompleted(environment: "staging", outcome: .success, duration: .seconds(95)),
            DeploymentCompleted(environment: "production", outcome: .failure, duration: .seconds(240)),
            ContainersManaged(action: "restart", count: 2),
            PipelineRunCompleted(pipeline: "ci", outcome: .success, duration: .seconds(300)),
            DataQueryExecuted(source: "warehouse", outcome: .success, duration: ms(700)),
            VisualizationCreated(kind: "line_chart"),
            ResearchSearchPerformed(source: "arxiv", citations: 6),
            SynthesisCompleted(duration: ms(8000)),
            // Security
            AuthorizationCheck(result: .allowed, reason: .granted),
            AuthorizationCheck(result: .denied, reason: .insufficientPermissions),
            SecurityTestCompleted(suite: "prompt_injection", outcome: .success),
            SecurityTestCompleted(suite: "prompt_injection", outcome: .failure),
            VulnerabilityFound(severity: .medium, scanner: "trivy"),
            SecurityScanCompleted(scanner: "trivy", duration: .seconds(45)),
        ]
    }
}
