extension SecurityTestCompleted: StandardEvent {
    /// `security_tests_total{suite,outcome}`.
    public static let tests = MetricDescriptor(
        "security_tests_total", .counter, help: "Security tests by suite and outcome (success = passed).", unit: .annotation("test"), labels: ["suite", "outcome"],
        category: .security, labelGuidance: ["suite": "a handful of suites", "outcome": "bounded"],
        promQL: "sum(rate({ns}_security_tests_total{outcome=\"success\"}[1h])) / sum(rate({ns}_security_tests_total[1h]))")

    public static var metrics: [MetricDescriptor] { [tests] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.tests)?.labels(suite, outcome.labelValue).increment(exemplar: exemplar)
    }
}
