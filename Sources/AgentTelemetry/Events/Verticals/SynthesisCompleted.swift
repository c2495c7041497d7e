/// The research vertical synthesised an answer from sources.
public struct SynthesisCompleted: TelemetryEvent {
    public static let eventName = "synthesis_completed"
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
