extension PlanningStep: StandardEvent {
    /// `planning_steps_total{outcome}`.
    public static let steps = MetricDescriptor(
        "planning_steps_total", .counter, help: "Planning steps by outcome.", unit: .annotation("step"), labels: ["outcome"], category: .agentic,
        labelGuidance: ["outcome": "bounded"],
        promQL: "sum(rate({ns}_planning_steps_total{outcome=\"success\"}[15m])) / sum(rate({ns}_planning_steps_total[15m]))")
    /// `planning_step_duration_seconds`.
    public static let duration = MetricDescriptor(
        "planning_step_duration_seconds", .histogram, help: "Planning step duration.", unit: .seconds,
        buckets: Buckets.agentLatency, category: .agentic)

    public static var metrics: [MetricDescriptor] { [steps, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.steps)?.labels(outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.series.observe(duration, exemplar: exemplar)
    }
}
