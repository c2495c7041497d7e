/// The research vertical ran a search.
public struct ResearchSearchPerformed: StandardEvent {
    public static let eventName = "research_search_performed"
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

    /// `research_searches_total{source,outcome}`.
    public static let searches = MetricDescriptor(
        "research_searches_total", .counter, help: "Research searches by source and outcome.", labels: ["source", "outcome"],
        category: .verticals, labelGuidance: ["source": "a handful of search sources", "outcome": "bounded"])
    /// `research_citations_per_search`.
    public static let citations = MetricDescriptor(
        "research_citations_per_search", .histogram, help: "Citations produced per research search.",
        buckets: Buckets.smallCounts, category: .verticals,
        promQL: "sum(rate({ns}_research_citations_per_search_sum[1h])) / sum(rate({ns}_research_citations_per_search_count[1h]))")

    public static var metrics: [MetricDescriptor] { [searches, citations] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.searches)?.labels(source, outcome.labelValue).increment()
        m.histogram(Self.citations)?.series.observe(max(0, citations))
        m.countVerticalUsage(.research, outcome)
    }
}
