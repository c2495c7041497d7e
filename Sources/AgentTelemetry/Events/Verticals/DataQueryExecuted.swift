/// The data-analysis vertical ran a query.
public struct DataQueryExecuted: TelemetryEvent {
    public static let eventName = "data_query_executed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Data source (`postgres`, `bigquery`, `csv`, ...).
    public var source: String
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var duration: Duration

    /// Creates the event.
    public init(source: String, outcome: Outcome, duration: Duration, timestamp: EventTimestamp = .now) {
        self.source = source
        self.outcome = outcome
        self.duration = duration
        self.timestamp = timestamp
    }
}
