extension DataQueryExecuted: StandardEvent {
    /// `data_queries_total{source,outcome}`.
    public static let queries = MetricDescriptor(
        "data_queries_total", .counter, help: "Data-analysis queries by source and outcome.", unit: .annotation("query"), labels: ["source", "outcome"],
        category: .verticals, labelGuidance: ["source": "a handful of data sources", "outcome": "bounded"])
    /// `data_query_duration_seconds{source}`.
    public static let duration = MetricDescriptor(
        "data_query_duration_seconds", .histogram, help: "Data-analysis query duration.", unit: .seconds, labels: ["source"],
        buckets: Buckets.agentLatency, category: .verticals, labelGuidance: ["source": "a handful of data sources"])

    public static var metrics: [MetricDescriptor] { [queries, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.queries)?.labels(source, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(source).observe(duration, exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .dataAnalysis, outcome)
    }
}
