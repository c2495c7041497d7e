/// A RAG retrieval ran.
public struct RetrievalPerformed: TelemetryEvent {
    public static let eventName = "retrieval_performed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Index searched.
    public var index: String
    /// Retrieval latency.
    public var latency: Duration
    /// Documents returned.
    public var results: Int
    /// Fraction of returned documents judged relevant (0…1), when evaluated.
    public var accuracy: Double?
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(index: String, latency: Duration, results: Int, accuracy: Double? = nil, outcome: Outcome = .success,
                timestamp: EventTimestamp = .now) {
        self.index = index
        self.latency = latency
        self.results = results
        self.accuracy = accuracy
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
