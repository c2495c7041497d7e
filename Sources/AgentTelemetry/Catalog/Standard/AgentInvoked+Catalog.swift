extension AgentInvoked: StandardEvent {
    /// `invocations_total{agent,outcome}` (`agent_invocations_total` under the default namespace).
    public static let invocations = MetricDescriptor(
        "invocations_total", .counter, help: "Agent invocations (invoke_agent) by agent and outcome.",
        unit: .annotation("invocation"), labels: ["agent", "outcome"], category: .agentic,
        labelGuidance: ["agent": "agent names; bounded by the cardinality limit", "outcome": "bounded"],
        promQL: "sum by (agent) (rate({ns}_invocations_total{outcome!=\"success\"}[5m])) / sum by (agent) (rate({ns}_invocations_total[5m]))")
    /// `gen_ai_invoke_agent_duration_seconds` (OpenTelemetry GenAI).
    public static let invokeDuration = MetricDescriptor(
        "gen_ai_invoke_agent_duration_seconds", .histogram,
        help: "Duration of agent invocations (OpenTelemetry gen_ai.invoke_agent.duration).", unit: .seconds,
        labels: ["gen_ai.operation.name", "gen_ai.agent.name", "error.type"], buckets: Buckets.genAIDuration, category: .agentic,
        namespaced: false, otlpName: "gen_ai.invoke_agent.duration",
        labelGuidance: ["gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "agent names; bounded by the cardinality limit",
                        "error.type": "bounded: the ErrorType cases; absent on success"],
        promQL: "histogram_quantile(0.95, sum by (le, gen_ai_agent_name) (rate(gen_ai_invoke_agent_duration_seconds_bucket[5m])))")

    public static var metrics: [MetricDescriptor] { [invocations, invokeDuration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let o = outcome.labelValue
        m.counter(Self.invocations)?.labels(agent, o).increment(exemplar: exemplar)
        let error = outcome.isSuccess ? "" : (errorType ?? .custom(o)).labelValue
        m.histogram(Self.invokeDuration)?.labels("invoke_agent", agent, error).observe(duration, exemplar: exemplar)
    }
}
