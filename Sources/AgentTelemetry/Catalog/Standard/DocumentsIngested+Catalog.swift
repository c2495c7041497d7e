extension DocumentsIngested: StandardEvent {
    /// `rag_documents_ingested_total{source}`.
    public static let ingested = MetricDescriptor(
        "rag_documents_ingested_total", .counter, help: "Documents ingested into RAG indexes, by source.", unit: .annotation("document"), labels: ["source"],
        category: .verticals, labelGuidance: ["source": "a handful of source kinds"])

    public static var metrics: [MetricDescriptor] { [ingested] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        if outcome.isSuccess { m.counter(Self.ingested)?.labels(source).increment(by: max(0, count), exemplar: exemplar) }
        m.countVerticalUsage(exemplar: exemplar, .rag, outcome)
    }
}
