extension InitializationCompleted: StandardEvent {
    /// `initialization_duration_seconds{component,outcome}`.
    public static let duration = MetricDescriptor(
        "initialization_duration_seconds", .histogram, help: "Time components took to initialise.", unit: .seconds,
        labels: ["component", "outcome"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["component": "a handful of component names", "outcome": "bounded"])

    public static var metrics: [MetricDescriptor] { [duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.histogram(Self.duration)?.labels(component, outcome.labelValue).observe(duration, exemplar: exemplar)
    }
}
