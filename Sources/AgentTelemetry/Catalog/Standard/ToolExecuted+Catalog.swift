extension ToolExecuted: StandardEvent {
    /// `tool_executions_total{tool,vertical,outcome}` (opt-in: `gen_ai_agent_name`, `via`).
    public static let executions = MetricDescriptor(
        "tool_executions_total", .counter, help: "Tool executions by tool, vertical and outcome.",
        unit: .annotation("execution"), labels: ["tool", "vertical", "outcome"], optInLabels: ["gen_ai.agent.name", "via"], category: .functional,
        labelGuidance: ["tool": "free-form tool name; bounded by the cardinality limit", "vertical": "bounded: the Vertical cases", "outcome": "bounded: success, failure, timeout, cancelled, partial",
                        "gen_ai.agent.name": agentGuidance, "via": viaGuidance],
        promQL: "sum by (tool) (rate({ns}_tool_executions_total{outcome=\"success\"}[5m])) / sum by (tool) (rate({ns}_tool_executions_total[5m]))")
    /// `tool_execution_duration_seconds{tool,vertical}` (opt-in: `gen_ai_agent_name`, `via`).
    public static let duration = MetricDescriptor(
        "tool_execution_duration_seconds", .histogram, help: "Tool execution duration.", unit: .seconds,
        labels: ["tool", "vertical"], optInLabels: ["gen_ai.agent.name", "via"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["tool": "free-form tool name; bounded by the cardinality limit", "vertical": "bounded", "gen_ai.agent.name": agentGuidance,
                        "via": viaGuidance],
        promQL: "histogram_quantile(0.95, sum by (le, tool) (rate({ns}_tool_execution_duration_seconds_bucket[5m])))")
    /// `vertical_usage_total{vertical}`.
    public static let verticalUsage = MetricDescriptor(
        "vertical_usage_total", .counter, help: "Units of work attributed to each vertical (tool executions and vertical events).",
        unit: .annotation("unit"), labels: ["vertical", "outcome"], category: .functional, labelGuidance: ["vertical": "bounded", "outcome": "bounded"],
        promQL: "sum by (vertical) (rate({ns}_vertical_usage_total{outcome=\"success\"}[5m])) / sum by (vertical) (rate({ns}_vertical_usage_total[5m]))")

    /// `gen_ai_execute_tool_duration_seconds` (OpenTelemetry GenAI).
    public static let executeToolDuration = MetricDescriptor(
        "gen_ai_execute_tool_duration_seconds", .histogram,
        help: "Duration of tool executions (OpenTelemetry gen_ai.execute_tool.duration).", unit: .seconds,
        labels: ["gen_ai.operation.name", "gen_ai.tool.name", "error.type"], optInLabels: ["gen_ai.agent.name"],
        buckets: Buckets.genAIDuration, category: .agentic,
        namespaced: false, otlpName: "gen_ai.execute_tool.duration",
        labelGuidance: ["gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "tool names; bounded by the cardinality limit",
                        "error.type": "bounded: the ErrorType cases; absent on success", "gen_ai.agent.name": agentGuidance],
        promQL: "histogram_quantile(0.95, sum by (le, gen_ai_tool_name) (rate(gen_ai_execute_tool_duration_seconds_bucket[5m])))")

    static let agentGuidance = "opt-in: the agent whose track(agent:) encloses the execution; bounded by the cardinality limit"
    // Opt-in so that the series of direct calls stay exactly as they were; without it MCP calls
    // are still counted, in the same series as direct calls of the same tool.
    static let viaGuidance = "opt-in: mcp for a tools/call made through an instrumented MCP client (MCPOperation), empty for a direct call"

    public static var metrics: [MetricDescriptor] { [executions, duration, verticalUsage, executeToolDuration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let v = vertical.labelValue
        let o = outcome.labelValue
        // The agent is always passed; the registry leaves it out unless a view opts in.
        let agent = agentName ?? ""
        m.counter(Self.executions)?.labels(tool, v, o, agent, "").increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(tool, v, agent, "").observe(duration, exemplar: exemplar)
        m.counter(Self.verticalUsage)?.labels(v, o).increment(exemplar: exemplar)
        let error = outcome.isSuccess ? "" : (errorType ?? .custom(o)).labelValue
        m.histogram(Self.executeToolDuration)?.labels("execute_tool", tool, error, agent).observe(duration, exemplar: exemplar)
        if let sessionID { m.sessions.addUsage(session: sessionID, toolCalls: 1) }
    }
}

extension StandardMetrics {
    /// Counts one unit of vertical work in `vertical_usage_total`.
    func countVerticalUsage(exemplar: TraceReference?, _ vertical: Vertical, _ outcome: Outcome) {
        counter(ToolExecuted.verticalUsage)?.labels(vertical.labelValue, outcome.labelValue).increment(exemplar: exemplar)
    }
}
