/// The research vertical synthesised an answer from sources.
public struct SynthesisCompleted: TelemetryEvent {
    public static let eventName = "synthesis_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// How long it took.
    public var duration: Duration
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(duration: Duration, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.duration = duration
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
