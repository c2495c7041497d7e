extension SynthesisCompleted: StandardEvent {
    /// `research_synthesis_duration_seconds`.
    public static let duration = MetricDescriptor(
        "research_synthesis_duration_seconds", .histogram, help: "Research synthesis duration.", unit: .seconds,
        buckets: Buckets.agentLatency, category: .verticals)
    /// `research_syntheses_total{outcome}`.
    public static let syntheses = MetricDescriptor(
        "research_syntheses_total", .counter, help: "Research syntheses by outcome.", unit: .annotation("synthesis"), labels: ["outcome"],
        category: .verticals, labelGuidance: ["outcome": "bounded"])

    public static var metrics: [MetricDescriptor] { [duration, syntheses] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.histogram(Self.duration)?.series.observe(duration, exemplar: exemplar)
        m.counter(Self.syntheses)?.labels(outcome.labelValue).increment(exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .research, outcome)
    }
}
