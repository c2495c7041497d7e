extension RetrievalPerformed: StandardEvent {
    /// `rag_retrievals_total{index,outcome}`.
    public static let retrievals = MetricDescriptor(
        "rag_retrievals_total", .counter, help: "RAG retrievals by index and outcome.", unit: .annotation("retrieval"), labels: ["index", "outcome"],
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

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.retrievals)?.labels(index, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.latency)?.labels(index).observe(latency, exemplar: exemplar)
        if let a = accuracy, a.isFinite { m.histogram(Self.accuracy)?.series.observe(min(1, max(0, a)), exemplar: exemplar) }
        m.countVerticalUsage(exemplar: exemplar, .rag, outcome)
    }
}
