/// The agent's planner produced (or failed to produce) a step.
public struct PlanningStep: TelemetryEvent {
    public static let eventName = "planning_step"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When the step finished.
    public var timestamp: EventTimestamp
    /// How it ended.
    public var outcome: Outcome
    /// How long planning took.
    public var duration: Duration

    /// Creates the event.
    public init(outcome: Outcome, duration: Duration, timestamp: EventTimestamp = .now) {
        self.outcome = outcome
        self.duration = duration
        self.timestamp = timestamp
    }
}
