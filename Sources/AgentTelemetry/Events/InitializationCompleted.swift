/// A component of the agent finished initialising (model load, index warm-up, tool discovery).
public struct InitializationCompleted: StandardEvent {
    public static let eventName = "initialization_completed"
    public var timestamp: EventTimestamp
    /// Component name.
    public var component: String
    /// How long initialisation took.
    public var duration: Duration
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(component: String, duration: Duration, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.component = component
        self.duration = duration
        self.outcome = outcome
        self.timestamp = timestamp
    }

    /// `initialization_duration_seconds{component,outcome}`.
    public static let duration = MetricDescriptor(
        "initialization_duration_seconds", .histogram, help: "Time components took to initialise.", unit: .seconds,
        labels: ["component", "outcome"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["component": "a handful of component names", "outcome": "bounded"])

    public static var metrics: [MetricDescriptor] { [duration] }

    public func record(into m: StandardMetrics) {
        m.histogram(Self.duration)?.labels(component, outcome.labelValue).observe(duration)
    }
}
