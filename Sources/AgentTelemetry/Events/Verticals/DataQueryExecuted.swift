/// The data-analysis vertical ran a query.
public struct DataQueryExecuted: StandardEvent {
    public static let eventName = "data_query_executed"
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

    /// `data_queries_total{source,outcome}`.
    public static let queries = MetricDescriptor(
        "data_queries_total", .counter, help: "Data-analysis queries by source and outcome.", labels: ["source", "outcome"],
        category: .verticals, labelGuidance: ["source": "a handful of data sources", "outcome": "bounded"])
    /// `data_query_duration_seconds{source}`.
    public static let duration = MetricDescriptor(
        "data_query_duration_seconds", .histogram, help: "Data-analysis query duration.", unit: .seconds, labels: ["source"],
        buckets: Buckets.agentLatency, category: .verticals, labelGuidance: ["source": "a handful of data sources"])

    public static var metrics: [MetricDescriptor] { [queries, duration] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.queries)?.labels(source, outcome.labelValue).increment()
        m.histogram(Self.duration)?.labels(source).observe(duration)
        m.countVerticalUsage(.dataAnalysis, outcome)
    }
}
