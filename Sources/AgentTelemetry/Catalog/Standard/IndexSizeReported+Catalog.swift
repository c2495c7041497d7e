extension IndexSizeReported: StandardEvent {
    /// `rag_index_documents{index}`.
    public static let documents = MetricDescriptor(
        "rag_index_documents", .gauge, help: "Documents in a RAG index.", unit: .annotation("document"), labels: ["index"], category: .verticals,
        labelGuidance: ["index": "a handful of index names"])
    /// `rag_index_size_bytes{index}`.
    public static let size = MetricDescriptor(
        "rag_index_size_bytes", .gauge, help: "Size of a RAG index.", unit: .bytes, labels: ["index"], category: .verticals,
        labelGuidance: ["index": "a handful of index names"])

    public static var metrics: [MetricDescriptor] { [documents, size] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.gauge(Self.documents)?.labels(index).set(Double(max(0, documents)))
        m.gauge(Self.size)?.labels(index).set(Double(max(0, bytes)))
    }
}
