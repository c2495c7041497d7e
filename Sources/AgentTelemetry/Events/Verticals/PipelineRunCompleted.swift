/// A CI pipeline run finished.
public struct PipelineRunCompleted: TelemetryEvent {
    public static let eventName = "pipeline_run_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Pipeline name.
    public var pipeline: String
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var duration: Duration

    /// Creates the event.
    public init(pipeline: String, outcome: Outcome, duration: Duration, timestamp: EventTimestamp = .now) {
        self.pipeline = pipeline
        self.outcome = outcome
        self.duration = duration
        self.timestamp = timestamp
    }
}
