extension ProviderRequest: StandardEvent {
    static let genAILabels = ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model"]
    /// Opt-in on the GenAI client metrics: the provider endpoint, and the agent (``WorkContext``).
    static let genAIOptIn = ["server.address", "server.port", "gen_ai.agent.name"]
    static let genAIGuidance = [
        "gen_ai.operation.name": "bounded: chat, text_completion, embeddings, ...",
        "gen_ai.provider.name": "bounded: the Provider cases",
        "gen_ai.request.model": "free-form model name; bounded by the cardinality limit",
        "gen_ai.response.model": "the model the provider reports (often a dated snapshot of the requested one); absent when it reports none",
        "gen_ai.token.type": "bounded: input (all prompt tokens, cached ones included), output (all completion tokens, reasoning included)",
        "error.type": "bounded: the ErrorType cases; absent on success",
        "server.address": "opt-in: the provider endpoint's host; bounded by the cardinality limit",
        "server.port": "opt-in: the provider endpoint's port",
        "gen_ai.agent.name": agentGuidance,
    ]
    static let agentGuidance = "opt-in: the agent whose track(agent:) encloses the request; bounded by the cardinality limit"
    static let toolStepGuidance = "opt-in: the tool whose track(tool:) encloses the request (the tool-calling step); bounded by the cardinality limit"

    /// `provider_requests_total{provider,model,outcome}`.
    public static let requests = MetricDescriptor(
        "provider_requests_total", .counter, help: "LLM provider requests by provider, model and outcome.",
        unit: .annotation("request"), labels: ["provider", "model", "outcome"], category: .functional,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "outcome": "bounded"],
        promQL: "sum by (provider) (rate({ns}_provider_requests_total{outcome!=\"success\"}[5m])) / sum by (provider) (rate({ns}_provider_requests_total[5m]))")
    /// `provider_errors_total{provider,model,error_type}`.
    public static let errors = MetricDescriptor(
        "provider_errors_total", .counter, help: "Failed LLM provider requests by error type (rate_limited, timeout, ...).",
        unit: .annotation("error"), labels: ["provider", "model", "error.type"], category: .functional,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "error.type": "bounded: the ErrorType cases"],
        promQL: "sum by (provider) (rate({ns}_provider_errors_total{error_type=\"rate_limited\"}[5m]))")
    /// `provider_request_duration_seconds{provider,model}`.
    public static let latency = MetricDescriptor(
        "provider_request_duration_seconds", .histogram, help: "LLM provider request latency.", unit: .seconds,
        labels: ["provider", "model"], optInLabels: ["gen_ai.agent.name"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "gen_ai.agent.name": agentGuidance],
        promQL: "histogram_quantile(0.95, sum by (le, provider) (rate({ns}_provider_request_duration_seconds_bucket[5m])))")
    /// `gen_ai_client_operation_duration_seconds` (OpenTelemetry GenAI).
    public static let operationDuration = MetricDescriptor(
        "gen_ai_client_operation_duration_seconds", .histogram, help: "GenAI operation duration (OpenTelemetry gen_ai.client.operation.duration).",
        unit: .seconds, labels: genAILabels + ["error.type", "gen_ai.response.model"], optInLabels: genAIOptIn,
        buckets: Buckets.genAIDuration, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.operation.duration", labelGuidance: genAIGuidance)
    /// `gen_ai_client_token_usage` (OpenTelemetry GenAI).
    public static let tokenUsage = MetricDescriptor(
        "gen_ai_client_token_usage", .histogram, help: "Tokens used per GenAI operation (OpenTelemetry gen_ai.client.token.usage).",
        unit: .tokens, labels: genAILabels + ["gen_ai.token.type", "gen_ai.response.model"], optInLabels: genAIOptIn,
        buckets: Buckets.tokenCounts, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.token.usage", labelGuidance: genAIGuidance)
    /// `gen_ai_client_operation_time_to_first_chunk_seconds` (OpenTelemetry GenAI).
    public static let timeToFirstChunk = MetricDescriptor(
        "gen_ai_client_operation_time_to_first_chunk_seconds", .histogram,
        help: "Time to the first streamed chunk (OpenTelemetry gen_ai.client.operation.time_to_first_chunk).",
        unit: .seconds, labels: genAILabels + ["gen_ai.response.model"], optInLabels: ["server.address", "server.port"],
        buckets: Buckets.genAIDuration, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.operation.time_to_first_chunk", labelGuidance: genAIGuidance)
    /// `gen_ai_client_operation_time_per_output_chunk_seconds` (OpenTelemetry GenAI): one
    /// observation per streamed chunk after the first.
    public static let timePerOutputChunk = MetricDescriptor(
        "gen_ai_client_operation_time_per_output_chunk_seconds", .histogram,
        help: "Time between consecutive streamed chunks after the first (OpenTelemetry gen_ai.client.operation.time_per_output_chunk).",
        unit: .seconds, labels: genAILabels + ["gen_ai.response.model"], optInLabels: ["server.address", "server.port"],
        buckets: Buckets.genAIChunkInterval, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.operation.time_per_output_chunk", labelGuidance: genAIGuidance)
    /// Token types as they are counted and billed: disjoint, so they add up to all tokens.
    static let tokenTypeGuidance = "bounded: input, output, cache_read, cache_creation, reasoning — disjoint (input: prompt tokens neither read from nor written to the cache; output: completion tokens that are not reasoning), so they add up to all tokens whatever the provider's reporting"
    /// `llm_tokens_total{provider,model,token_type}`.
    public static let tokens = MetricDescriptor(
        "llm_tokens_total", .counter, help: "LLM tokens by provider, model and token type (input, output, cache_read, cache_creation, reasoning; disjoint).",
        unit: .tokens, labels: ["provider", "model", "token_type"], optInLabels: ["gen_ai.agent.name", "gen_ai.tool.name"],
        category: .llmUsage, labelGuidance: attributedGuidance(tokenTypeGuidance),
        promQL: "sum by (model) (rate({ns}_llm_tokens_total[1h])) * 3600")
    /// `llm_cost_usd_total{provider,model,token_type}`.
    public static let cost = MetricDescriptor(
        "llm_cost_usd_total", .counter, help: "LLM cost in US dollars from the configured price table, by token type as billed (unpriced models are counted in llm_unpriced_requests_total instead).",
        unit: .usd, labels: ["provider", "model", "token_type"], optInLabels: ["gen_ai.agent.name", "gen_ai.tool.name"],
        category: .llmUsage, labelGuidance: attributedGuidance(tokenTypeGuidance),
        promQL: "sum by (model) (increase({ns}_llm_cost_usd_total[1d]))")
    /// `llm_unpriced_requests_total{provider,model}`.
    public static let unpriced = MetricDescriptor(
        "llm_unpriced_requests_total", .counter, help: "LLM requests whose model has no price in the price table: their cost is unknown, never counted as $0.",
        unit: .annotation("request"), labels: ["provider", "model"], category: .llmUsage,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit"],
        promQL: "sum by (provider, model) (increase({ns}_llm_unpriced_requests_total[1h]))")

    /// The guidance of the token and cost counters' labels, opt-in attribution included.
    static func attributedGuidance(_ tokenType: String) -> [String: String] {
        ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "token_type": tokenType,
         "gen_ai.agent.name": agentGuidance, "gen_ai.tool.name": toolStepGuidance]
    }

    public static var metrics: [MetricDescriptor] {
        [requests, errors, latency, operationDuration, tokenUsage, timeToFirstChunk, timePerOutputChunk, tokens, cost, unpriced]
    }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let p = provider.labelValue
        let op = operation.labelValue
        let o = outcome.labelValue
        // Opt-in values are always passed; the registry leaves them out unless a view opts in.
        let agent = agentName ?? ""
        let tool = toolName ?? ""
        let answered = responseModel ?? ""
        let host = serverAddress ?? ""
        let port = serverPort.map(String.init) ?? ""
        m.counter(Self.requests)?.labels(p, model, o).increment(exemplar: exemplar)
        m.histogram(Self.latency)?.labels(p, model, agent).observe(latency, exemplar: exemplar)
        let error = outcome.isSuccess ? "" : (errorType ?? .custom(o)).labelValue
        if !outcome.isSuccess {
            m.counter(Self.errors)?.labels(p, model, error).increment(exemplar: exemplar)
        }
        m.histogram(Self.operationDuration)?.labels(op, p, model, error, answered, host, port, agent).observe(latency, exemplar: exemplar)
        if let ttft = timeToFirstToken {
            m.histogram(Self.timeToFirstChunk)?.labels(op, p, model, answered, host, port).observe(ttft, exemplar: exemplar)
        }
        if !outputChunkIntervals.isEmpty, let chunks = m.histogram(Self.timePerOutputChunk) {
            let series = chunks.labels(op, p, model, answered, host, port)
            for interval in outputChunkIntervals { series.observe(interval, exemplar: exemplar) }
        }
        let reported = tokens
        guard reported != TokenCounts() else {
            if let sessionID { m.sessions.addUsage(session: sessionID, llmCalls: 1) }
            return
        }
        let billed = reported.billed(.of(provider: p, model: model))
        // The GenAI histogram: all prompt and all completion tokens of the call.
        let prompt = billed.input + billed.cacheRead + billed.cacheCreation
        let completion = billed.output + billed.reasoning
        if let usage = m.histogram(Self.tokenUsage) {
            if prompt > 0 { usage.labels(op, p, model, "input", answered, host, port, agent).observe(prompt, exemplar: exemplar) }
            if completion > 0 { usage.labels(op, p, model, "output", answered, host, port, agent).observe(completion, exemplar: exemplar) }
        }
        if let counter = m.counter(Self.tokens) {
            for kind in TokenKind.allCases where billed[kind] > 0 {
                counter.labels(p, model, kind.labelValue, agent, tool).increment(by: billed[kind], exemplar: exemplar)
            }
        }
        let total = prompt + completion
        guard let rates = m.pricing.rates(provider: p, model: model) else {
            m.counter(Self.unpriced)?.labels(p, model).increment(exemplar: exemplar)
            if let sessionID { m.sessions.addUsage(session: sessionID, tokens: total, llmCalls: 1) }
            return
        }
        var usd = 0.0
        let cost = m.counter(Self.cost)
        for kind in TokenKind.allCases where billed[kind] > 0 {
            let part = Double(billed[kind]) * rates.rate(kind) / 1_000_000
            usd += part
            cost?.labels(p, model, kind.labelValue, agent, tool).increment(by: part, exemplar: exemplar)
        }
        if let sessionID { m.sessions.addUsage(session: sessionID, tokens: total, costUSD: usd, llmCalls: 1) }
    }
}
