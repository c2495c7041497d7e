/// A product feature was used.
public struct FeatureUsed: StandardEvent {
    public static let eventName = "feature_used"
    public var timestamp: EventTimestamp
    /// Feature name.
    public var feature: String

    /// Creates the event.
    public init(feature: String, timestamp: EventTimestamp = .now) {
        self.feature = feature
        self.timestamp = timestamp
    }

    /// `feature_usage_total{feature}`.
    public static let usage = MetricDescriptor(
        "feature_usage_total", .counter, help: "Feature uses by feature.", labels: ["feature"], category: .functional,
        labelGuidance: ["feature": "feature names; bounded by the cardinality limit"])

    public static var metrics: [MetricDescriptor] { [usage] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.usage)?.labels(feature).increment()
    }
}
