/// The data-analysis vertical produced a visualisation.
public struct VisualizationCreated: TelemetryEvent {
    public static let eventName = "visualization_created"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Kind of chart (`line`, `bar`, `table`, ...).
    public var kind: String

    /// Creates the event.
    public init(kind: String, timestamp: EventTimestamp = .now) {
        self.kind = kind
        self.timestamp = timestamp
    }
}
