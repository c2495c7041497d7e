/// A security test (prompt-injection probe, jailbreak suite, policy check) finished.
public struct SecurityTestCompleted: TelemetryEvent {
    public static let eventName = "security_test_completed"
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
