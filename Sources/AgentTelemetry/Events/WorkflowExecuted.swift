/// A multi-step workflow finished.
public struct WorkflowExecuted: TelemetryEvent {
    public static let eventName = "workflow_executed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it finished.
    public var timestamp: EventTimestamp
    /// Workflow name.
    public var workflow: String
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var duration: Duration

    /// Creates the event.
    public init(workflow: String, outcome: Outcome, duration: Duration, timestamp: EventTimestamp = .now) {
        self.workflow = workflow
        self.outcome = outcome
        self.duration = duration
        self.timestamp = timestamp
    }
}
