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

    public static var metrics: [MetricDescriptor] { [executions, duration, verticalUsage] }

    public func record(into m: StandardMetrics) {
        let v = vertical.labelValue
        let o = outcome.labelValue
        m.counter(Self.executions)?.labels(tool, v, o).increment()
        m.histogram(Self.duration)?.labels(tool, v).observe(duration)
        m.counter(Self.verticalUsage)?.labels(v, o).increment()
    }
}

extension StandardMetrics {
    /// Counts one unit of vertical work in `vertical_usage_total`.
    func countVerticalUsage(_ vertical: Vertical, _ outcome: Outcome) {
        counter(ToolExecuted.verticalUsage)?.labels(vertical.labelValue, outcome.labelValue).increment()
    }
}
