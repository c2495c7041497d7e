extension ToolExecuted: StandardEvent {
    /// `tool_executions_total{tool,vertical,outcome}`.
    public static let executions = MetricDescriptor(
        "tool_executions_total", .counter, help: "Tool executions by tool, vertical and outcome.",
        labels: ["tool", "vertical", "outcome"], category: .functional,
        labelGuidance: ["tool": "free-form tool name; bounded by the cardinality limit", "vertical": "bounded: the Vertical cases", "outcome": "bounded: success, failure, timeout, cancelled, partial"],
        promQL: "sum by (tool) (rate({ns}_tool_executions_total{outcome=\"success\"}[5m])) / sum by (tool) (rate({ns}_tool_executions_total[5m]))")
    /// `tool_execution_duration_seconds{tool,vertical}`.
    public static let duration = MetricDescriptor(
        "tool_execution_duration_seconds", .histogram, help: "Tool execution duration.", unit: .seconds,
        labels: ["tool", "vertical"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["tool": "free-form tool name; bounded by the cardinality limit", "vertical": "bounded"],
        promQL: "histogram_quantile(0.95, sum by (le, tool) (rate({ns}_tool_execution_duration_seconds_bucket[5m])))")
    /// `vertical_usage_total{vertical}`.
    public static let verticalUsage = MetricDescriptor(
        "vertical_usage_total", .counter, help: "Units of work attributed to each vertical (tool executions and vertical events).",
        labels: ["vertical", "outcome"], category: .functional, labelGuidance: ["vertical": "bounded", "outcome": "bounded"],
        promQL: "sum by (vertical) (rate({ns}_vertical_usage_total{outcome=\"success\"}[5m])) / sum by (vertical) (rate({ns}_vertical_usage_total[5m]))")

    /// `gen_ai_execute_tool_duration_seconds` (OpenTelemetry GenAI).
    public static let executeToolDuration = MetricDescriptor(
        "gen_ai_execute_tool_duration_seconds", .histogram,
        help: "Duration of tool executions (OpenTelemetry gen_ai.execute_tool.duration).", unit: .seconds,
        labels: ["gen_ai_operation_name", "gen_ai_tool_name", "error_type"], buckets: Buckets.genAIDuration, category: .agentic,
        namespaced: false, otlpName: "gen_ai.execute_tool.duration",
        labelGuidance: ["gen_ai_operation_name": "execute_tool", "gen_ai_tool_name": "tool names; bounded by the cardinality limit",
                        "error_type": "bounded: the ErrorType cases; empty on success"],
        promQL: "histogram_quantile(0.95, sum by (le, gen_ai_tool_name) (rate(gen_ai_execute_tool_duration_seconds_bucket[5m])))")

    public static var metrics: [MetricDescriptor] { [executions, duration, verticalUsage, executeToolDuration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let v = vertical.labelValue
        let o = outcome.labelValue
        m.counter(Self.executions)?.labels(tool, v, o).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(tool, v).observe(duration, exemplar: exemplar)
        m.counter(Self.verticalUsage)?.labels(v, o).increment(exemplar: exemplar)
        let error = outcome.isSuccess ? "" : (errorType ?? .custom(o)).labelValue
        m.histogram(Self.executeToolDuration)?.labels("execute_tool", tool, error).observe(duration, exemplar: exemplar)
        if let sessionID { m.sessions.addUsage(session: sessionID, toolCalls: 1) }
    }
}

extension StandardMetrics {
    /// Counts one unit of vertical work in `vertical_usage_total`.
    func countVerticalUsage(exemplar: TraceReference?, _ vertical: Vertical, _ outcome: Outcome) {
        counter(ToolExecuted.verticalUsage)?.labels(vertical.labelValue, outcome.labelValue).increment(exemplar: exemplar)
    }
}
