extension ProviderRequest: StandardEvent {
    static let genAILabels = ["gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model"]
    static let genAIGuidance = [
        "gen_ai_operation_name": "bounded: chat, text_completion, embeddings, ...",
        "gen_ai_provider_name": "bounded: the Provider cases",
        "gen_ai_request_model": "free-form model name; bounded by the cardinality limit",
        "gen_ai_token_type": "bounded: input (all prompt tokens, cached ones included), output (all completion tokens, reasoning included)",
        "error_type": "bounded: the ErrorType cases; empty on success",
    ]

    /// `provider_requests_total{provider,model,outcome}`.
    public static let requests = MetricDescriptor(
        "provider_requests_total", .counter, help: "LLM provider requests by provider, model and outcome.",
        labels: ["provider", "model", "outcome"], category: .functional,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "outcome": "bounded"],
        promQL: "sum by (provider) (rate({ns}_provider_requests_total{outcome!=\"success\"}[5m])) / sum by (provider) (rate({ns}_provider_requests_total[5m]))")
    /// `provider_errors_total{provider,model,error_type}`.
    public static let errors = MetricDescriptor(
        "provider_errors_total", .counter, help: "Failed LLM provider requests by error type (rate_limited, timeout, ...).",
        labels: ["provider", "model", "error_type"], category: .functional,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "error_type": "bounded: the ErrorType cases"],
        promQL: "sum by (provider) (rate({ns}_provider_errors_total{error_type=\"rate_limited\"}[5m]))")
    /// `provider_request_duration_seconds{provider,model}`.
    public static let latency = MetricDescriptor(
        "provider_request_duration_seconds", .histogram, help: "LLM provider request latency.", unit: .seconds,
        labels: ["provider", "model"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit"],
        promQL: "histogram_quantile(0.95, sum by (le, provider) (rate({ns}_provider_request_duration_seconds_bucket[5m])))")
    /// `gen_ai_client_operation_duration_seconds` (OpenTelemetry GenAI).
    public static let operationDuration = MetricDescriptor(
        "gen_ai_client_operation_duration_seconds", .histogram, help: "GenAI operation duration (OpenTelemetry gen_ai.client.operation.duration).",
        unit: .seconds, labels: genAILabels + ["error_type"], buckets: Buckets.genAIDuration, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.operation.duration", labelGuidance: genAIGuidance)
    /// `gen_ai_client_token_usage` (OpenTelemetry GenAI).
    public static let tokenUsage = MetricDescriptor(
        "gen_ai_client_token_usage", .histogram, help: "Tokens used per GenAI operation (OpenTelemetry gen_ai.client.token.usage).",
        unit: .tokens, labels: genAILabels + ["gen_ai_token_type"], buckets: Buckets.tokenCounts, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.token.usage", labelGuidance: genAIGuidance)
    /// `gen_ai_client_operation_time_to_first_chunk_seconds` (OpenTelemetry GenAI).
    public static let timeToFirstChunk = MetricDescriptor(
        "gen_ai_client_operation_time_to_first_chunk_seconds", .histogram,
        help: "Time to the first streamed chunk (OpenTelemetry gen_ai.client.operation.time_to_first_chunk).",
        unit: .seconds, labels: genAILabels, buckets: Buckets.genAIDuration, category: .llmUsage,
        namespaced: false, otlpName: "gen_ai.client.operation.time_to_first_chunk", labelGuidance: genAIGuidance)
    /// Token types as they are counted and billed: disjoint, so they add up to all tokens.
    static let tokenTypeGuidance = "bounded: input, output, cache_read, cache_creation, reasoning — disjoint (input: prompt tokens neither read from nor written to the cache; output: completion tokens that are not reasoning), so they add up to all tokens whatever the provider's reporting"
    /// `llm_tokens_total{provider,model,token_type}`.
    public static let tokens = MetricDescriptor(
        "llm_tokens_total", .counter, help: "LLM tokens by provider, model and token type (input, output, cache_read, cache_creation, reasoning; disjoint).",
        unit: .tokens, labels: ["provider", "model", "token_type"], category: .llmUsage,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "token_type": tokenTypeGuidance],
        promQL: "sum by (model) (rate({ns}_llm_tokens_total[1h])) * 3600")
    /// `llm_cost_usd_total{provider,model,token_type}`.
    public static let cost = MetricDescriptor(
        "llm_cost_usd_total", .counter, help: "LLM cost in US dollars from the configured price table, by token type as billed (unpriced models are counted in llm_unpriced_requests_total instead).",
        unit: .usd, labels: ["provider", "model", "token_type"], category: .llmUsage,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit", "token_type": tokenTypeGuidance],
        promQL: "sum by (model) (increase({ns}_llm_cost_usd_total[1d]))")
    /// `llm_unpriced_requests_total{provider,model}`.
    public static let unpriced = MetricDescriptor(
        "llm_unpriced_requests_total", .counter, help: "LLM requests whose model has no price in the price table: their cost is unknown, never counted as $0.",
        labels: ["provider", "model"], category: .llmUsage,
        labelGuidance: ["provider": "bounded", "model": "free-form; bounded by the cardinality limit"],
        promQL: "sum by (provider, model) (increase({ns}_llm_unpriced_requests_total[1h]))")

    public static var metrics: [MetricDescriptor] {
        [requests, errors, latency, operationDuration, tokenUsage, timeToFirstChunk, tokens, cost, unpriced]
    }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let p = provider.labelValue
        let op = operation.labelValue
        let o = outcome.labelValue
        m.counter(Self.requests)?.labels(p, model, o).increment(exemplar: exemplar)
        m.histogram(Self.latency)?.labels(p, model).observe(latency, exemplar: exemplar)
        let error = outcome.isSuccess ? "" : (errorType ?? .custom(o)).labelValue
        if !outcome.isSuccess {
            m.counter(Self.errors)?.labels(p, model, error).increment(exemplar: exemplar)
        }
        m.histogram(Self.operationDuration)?.labels(op, p, model, error).observe(latency, exemplar: exemplar)
        if let ttft = timeToFirstToken {
            m.histogram(Self.timeToFirstChunk)?.labels(op, p, model).observe(ttft, exemplar: exemplar)
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
        if prompt > 0 { m.histogram(Self.tokenUsage)?.labels(op, p, model, "input").observe(prompt, exemplar: exemplar) }
        if completion > 0 { m.histogram(Self.tokenUsage)?.labels(op, p, model, "output").observe(completion, exemplar: exemplar) }
        if let counter = m.counter(Self.tokens) {
            for kind in TokenKind.allCases where billed[kind] > 0 {
                counter.labels(p, model, kind.labelValue).increment(by: billed[kind], exemplar: exemplar)
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
            cost?.labels(p, model, kind.labelValue).increment(by: part, exemplar: exemplar)
        }
        if let sessionID { m.sessions.addUsage(session: sessionID, tokens: total, costUSD: usd, llmCalls: 1) }
    }
}
