/// The research vertical ran a search.
public struct ResearchSearchPerformed: TelemetryEvent {
    public static let eventName = "research_search_performed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Where it searched (`web`, `arxiv`, `internal`, ...).
    public var source: String
    /// Citations the search produced.
    public var citations: Int
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(source: String, citations: Int, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.source = source
        self.citations = citations
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
