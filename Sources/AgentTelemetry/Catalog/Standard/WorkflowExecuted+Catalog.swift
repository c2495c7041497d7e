extension WorkflowExecuted: StandardEvent {
    /// `workflow_executions_total{workflow,outcome}`.
    public static let executions = MetricDescriptor(
        "workflow_executions_total", .counter, help: "Workflow executions by workflow and outcome.",
        unit: .annotation("execution"), labels: ["workflow", "outcome"], category: .functional,
        labelGuidance: ["workflow": "workflow names; bounded by the cardinality limit", "outcome": "bounded"])
    /// `workflow_duration_seconds{workflow}`.
    public static let duration = MetricDescriptor(
        "workflow_duration_seconds", .histogram, help: "Workflow duration (OpenTelemetry gen_ai.workflow.duration in spirit).",
        unit: .seconds, labels: ["workflow"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["workflow": "bounded by the cardinality limit"])

    public static var metrics: [MetricDescriptor] { [executions, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.executions)?.labels(workflow, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(workflow).observe(duration, exemplar: exemplar)
    }
}
