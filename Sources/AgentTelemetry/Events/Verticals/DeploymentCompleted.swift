/// A deployment finished (DevOps vertical).
public struct DeploymentCompleted: TelemetryEvent {
    public static let eventName = "deployment_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Target environment (`staging`, `production`, ...).
    public var environment: String
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var duration: Duration

    /// Creates the event.
    public init(environment: String, outcome: Outcome, duration: Duration, timestamp: EventTimestamp = .now) {
        self.environment = environment
        self.outcome = outcome
        self.duration = duration
        self.timestamp = timestamp
    }
}
