/// Documents were ingested into a RAG index.
public struct DocumentsIngested: StandardEvent {
    public static let eventName = "documents_ingested"
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

    /// `rag_documents_ingested_total{source}`.
    public static let ingested = MetricDescriptor(
        "rag_documents_ingested_total", .counter, help: "Documents ingested into RAG indexes, by source.", labels: ["source"],
        category: .verticals, labelGuidance: ["source": "a handful of source kinds"])

    public static var metrics: [MetricDescriptor] { [ingested] }

    public func record(into m: StandardMetrics) {
        if outcome.isSuccess { m.counter(Self.ingested)?.labels(source).increment(by: max(0, count)) }
        m.countVerticalUsage(.rag, outcome)
    }
}
