/// A multi-step workflow finished.
public struct WorkflowExecuted: TelemetryEvent {
    public static let eventName = "workflow_executed"
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
