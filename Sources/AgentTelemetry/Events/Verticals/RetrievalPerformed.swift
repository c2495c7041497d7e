/// A RAG retrieval ran.
public struct RetrievalPerformed: StandardEvent {
    public static let eventName = "retrieval_performed"
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

    /// `rag_retrievals_total{index,outcome}`.
    public static let retrievals = MetricDescriptor(
        "rag_retrievals_total", .counter, help: "RAG retrievals by index and outcome.", labels: ["index", "outcome"],
        category: .verticals, labelGuidance: ["index": "a handful of index names", "outcome": "bounded"])
    /// `rag_retrieval_duration_seconds{index}`.
    public static let latency = MetricDescriptor(
        "rag_retrieval_duration_seconds", .histogram, help: "RAG retrieval latency.", unit: .seconds, labels: ["index"],
        buckets: Buckets.agentLatency, category: .verticals, labelGuidance: ["index": "a handful of index names"],
        promQL: "histogram_quantile(0.95, sum by (le) (rate({ns}_rag_retrieval_duration_seconds_bucket[5m])))")
    /// `rag_search_accuracy_ratio`.
    public static let accuracy = MetricDescriptor(
        "rag_search_accuracy_ratio", .histogram, help: "Observed RAG search accuracy (fraction of relevant results).",
        unit: .ratio, buckets: Buckets.ratio, category: .verticals,
        promQL: "sum(rate({ns}_rag_search_accuracy_ratio_sum[15m])) / sum(rate({ns}_rag_search_accuracy_ratio_count[15m]))")

    public static var metrics: [MetricDescriptor] { [retrievals, latency, accuracy] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.retrievals)?.labels(index, outcome.labelValue).increment()
        m.histogram(Self.latency)?.labels(index).observe(latency)
        if let a = accuracy, a.isFinite { m.histogram(Self.accuracy)?.series.observe(min(1, max(0, a))) }
        m.countVerticalUsage(.rag, outcome)
    }
}
