/// A product feature was used.
public struct FeatureUsed: TelemetryEvent {
    public static let eventName = "feature_used"
    public var timestamp: EventTimestamp
    /// Feature name.
    public var feature: String

    /// Creates the event.
    public init(feature: String, timestamp: EventTimestamp = .now) {
        self.feature = feature
        self.timestamp = timestamp
    }
}
