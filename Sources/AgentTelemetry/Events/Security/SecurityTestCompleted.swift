/// A security test (prompt-injection probe, jailbreak suite, policy check) finished.
public struct SecurityTestCompleted: StandardEvent {
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

    /// `security_tests_total{suite,outcome}`.
    public static let tests = MetricDescriptor(
        "security_tests_total", .counter, help: "Security tests by suite and outcome (success = passed).", labels: ["suite", "outcome"],
        category: .security, labelGuidance: ["suite": "a handful of suites", "outcome": "bounded"],
        promQL: "sum(rate({ns}_security_tests_total{outcome=\"success\"}[1h])) / sum(rate({ns}_security_tests_total[1h]))")

    public static var metrics: [MetricDescriptor] { [tests] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.tests)?.labels(suite, outcome.labelValue).increment()
    }
}
