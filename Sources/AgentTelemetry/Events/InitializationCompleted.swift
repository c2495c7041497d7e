/// A component of the agent finished initialising (model load, index warm-up, tool discovery).
public struct InitializationCompleted: TelemetryEvent {
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
}
