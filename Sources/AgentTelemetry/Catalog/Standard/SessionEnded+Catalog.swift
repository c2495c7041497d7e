extension SessionEnded: StandardEvent {
    /// `session_duration_seconds`.
    public static let duration = MetricDescriptor(
        "session_duration_seconds", .histogram, help: "Session duration.", unit: .seconds,
        buckets: Buckets.longDuration, category: .business,
        promQL: "histogram_quantile(0.5, sum by (le) (rate({ns}_session_duration_seconds_bucket[1h])))")
    /// `session_requests`.
    public static let requestsPerSession = MetricDescriptor(
        "session_requests", .histogram, help: "Requests and chat turns per ended session.",
        unit: .annotation("request"), buckets: Buckets.smallCounts, category: .business,
        promQL: "sum(rate({ns}_session_requests_sum[1h])) / sum(rate({ns}_session_requests_count[1h]))")
    /// `sessions_ended_total`.
    public static let ended = MetricDescriptor(
        "sessions_ended_total", .counter, help: "Sessions ended by an end event.", unit: .annotation("session"), category: .business)

    /// `session_llm_tokens`: all LLM tokens of a session.
    public static let tokensPerSession = MetricDescriptor(
        "session_llm_tokens", .histogram, help: "LLM tokens per ended or expired session (all token types).",
        unit: .tokens, buckets: Buckets.tokenCounts, category: .business,
        promQL: "histogram_quantile(0.95, sum by (le) (rate({ns}_session_llm_tokens_bucket[1h])))")
    /// `session_llm_cost_usd`: the priced LLM cost of a session.
    public static let costPerSession = MetricDescriptor(
        "session_llm_cost_usd", .histogram, help: "LLM cost in US dollars per ended or expired session (priced requests only).",
        unit: .usd, buckets: Buckets.costPerSession, category: .business,
        promQL: "histogram_quantile(0.95, sum by (le) (rate({ns}_session_llm_cost_usd_bucket[1h])))")
    /// `session_llm_calls`.
    public static let llmCallsPerSession = MetricDescriptor(
        "session_llm_calls", .histogram, help: "LLM provider requests per ended or expired session.",
        unit: .annotation("call"), buckets: Buckets.smallCounts, category: .business,
        promQL: "histogram_quantile(0.5, sum by (le) (rate({ns}_session_llm_calls_bucket[1h])))")
    /// `session_tool_calls`.
    public static let toolCallsPerSession = MetricDescriptor(
        "session_tool_calls", .histogram, help: "Tool executions per ended or expired session.",
        unit: .annotation("call"), buckets: Buckets.smallCounts, category: .business,
        promQL: "histogram_quantile(0.5, sum by (le) (rate({ns}_session_tool_calls_bucket[1h])))")

    public static var metrics: [MetricDescriptor] {
        [duration, requestsPerSession, ended, tokensPerSession, costPerSession, llmCallsPerSession, toolCallsPerSession]
    }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.ended)?.series.increment(exemplar: exemplar)
        m.histogram(Self.duration)?.series.observe(duration, exemplar: exemplar)
        let (requests, usage, users, sessions) = m.sessions.end(session: sessionID)
        if let requests { m.histogram(Self.requestsPerSession)?.series.observe(requests, exemplar: exemplar) }
        if let usage { m.sessionUsage.observe(usage, exemplar: exemplar) }
        m.gauge(SessionStarted.activeUsers)?.series.set(Double(users))
        m.gauge(SessionStarted.activeSessions)?.series.set(Double(sessions))
    }
}
