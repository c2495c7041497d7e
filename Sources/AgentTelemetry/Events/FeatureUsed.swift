/// A product feature was used.
public struct FeatureUsed: TelemetryEvent {
    public static let eventName = "feature_used"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Feature name.
    public var feature: String

    /// Creates the event.
    public init(feature: String, timestamp: EventTimestamp = .now) {
        self.feature = feature
        self.timestamp = timestamp
    }
}
