extension ResearchSearchPerformed: StandardEvent {
    /// `research_searches_total{source,outcome}`.
    public static let searches = MetricDescriptor(
        "research_searches_total", .counter, help: "Research searches by source and outcome.", unit: .annotation("search"), labels: ["source", "outcome"],
        category: .verticals, labelGuidance: ["source": "a handful of search sources", "outcome": "bounded"])
    /// `research_citations_per_search`.
    public static let citations = MetricDescriptor(
        "research_citations_per_search", .histogram, help: "Citations produced per research search.",
        unit: .annotation("citation"), buckets: Buckets.smallCounts, category: .verticals,
        promQL: "sum(rate({ns}_research_citations_per_search_sum[1h])) / sum(rate({ns}_research_citations_per_search_count[1h]))")

    public static var metrics: [MetricDescriptor] { [searches, citations] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.searches)?.labels(source, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.citations)?.series.observe(max(0, citations), exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .research, outcome)
    }
}
