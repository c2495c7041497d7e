/// Documents were ingested into a RAG index.
public struct DocumentsIngested: TelemetryEvent {
    public static let eventName = "documents_ingested"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Where they came from (`web`, `s3`, `confluence`, ...).
    public var source: String
    /// Number of documents.
    public var count: Int
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(source: String, count: Int, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.source = source
        self.count = count
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
