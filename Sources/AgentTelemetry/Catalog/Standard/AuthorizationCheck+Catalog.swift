extension AuthorizationCheck: StandardEvent {
    /// `authorization_checks_total{result,reason}`.
    public static let checks = MetricDescriptor(
        "authorization_checks_total", .counter, help: "Authorization checks by result and reason.",
        unit: .annotation("check"), labels: ["result", "reason"], category: .security,
        labelGuidance: ["result": "bounded: allowed, denied, error", "reason": "bounded: the AuthorizationReason cases"],
        promQL: "sum(rate({ns}_authorization_checks_total{result=\"allowed\"}[5m])) / sum(rate({ns}_authorization_checks_total[5m]))")

    public static var metrics: [MetricDescriptor] { [checks] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.checks)?.labels(result.labelValue, reason.labelValue).increment(exemplar: exemplar)
    }
}
