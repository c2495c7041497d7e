/// The coding vertical generated tests.
public struct TestsGenerated: TelemetryEvent {
    public static let eventName = "tests_generated"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Language of the tests.
    public var language: String
    /// Number of tests generated.
    public var count: Int
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(language: String, count: Int, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.language = language
        self.count = count
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
