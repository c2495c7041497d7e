/// A security test (prompt-injection probe, jailbreak suite, policy check) finished.
public struct SecurityTestCompleted: TelemetryEvent {
    public static let eventName = "security_test_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Test suite name.
    public var suite: String
    /// Passed (`.success`) or failed.
    public var outcome: Outcome

    /// Creates the event.
    public init(suite: String, outcome: Outcome, timestamp: EventTimestamp = .now) {
        self.suite = suite
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
