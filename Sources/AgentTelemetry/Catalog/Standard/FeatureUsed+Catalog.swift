extension FeatureUsed: StandardEvent {
    /// `feature_usage_total{feature}`.
    public static let usage = MetricDescriptor(
        "feature_usage_total", .counter, help: "Feature uses by feature.", unit: .annotation("use"), labels: ["feature"], category: .functional,
        labelGuidance: ["feature": "feature names; bounded by the cardinality limit"])

    public static var metrics: [MetricDescriptor] { [usage] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.usage)?.labels(feature).increment(exemplar: exemplar)
    }
}
