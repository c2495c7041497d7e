extension SelfImprovementLoop: StandardEvent {
    /// `self_improvement_loops_total{outcome}`.
    public static let loops = MetricDescriptor(
        "self_improvement_loops_total", .counter, help: "Self-improvement loops by outcome.", unit: .annotation("loop"), labels: ["outcome"],
        category: .agentic, labelGuidance: ["outcome": "bounded"])
    /// `self_improvement_iterations`.
    public static let iterations = MetricDescriptor(
        "self_improvement_iterations", .histogram, help: "Iterations per self-improvement loop.",
        unit: .annotation("iteration"), buckets: Buckets.smallCounts, category: .agentic)

    public static var metrics: [MetricDescriptor] { [loops, iterations] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.loops)?.labels(outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.iterations)?.series.observe(max(0, iterations), exemplar: exemplar)
    }
}
