/// A component of the agent finished initialising (model load, index warm-up, tool discovery).
public struct InitializationCompleted: TelemetryEvent {
    public static let eventName = "initialization_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
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
}
