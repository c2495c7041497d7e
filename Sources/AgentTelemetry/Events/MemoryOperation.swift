/// The kind of operation on agent memory.
public enum MemoryOperationKind: LabelValueConvertible {
    /// Writing a memory.
    case store
    /// Recalling memories for a query.
    case recall
    /// Changing a memory.
    case update
    /// Forgetting a memory.
    case delete
    /// Summarising or merging memories.
    case consolidate
    /// Anything else.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .store: "store"
        case .recall: "recall"
        case .update: "update"
        case .delete: "delete"
        case .consolidate: "consolidate"
        case .custom(let s): s
        }
    }
}

/// Which memory store an operation touched.
public enum MemoryType: LabelValueConvertible {
    /// Context kept within a conversation.
    case shortTerm
    /// Persistent memory across conversations.
    case longTerm
    /// Memories of past episodes.
    case episodic
    /// Facts and knowledge.
    case semantic
    /// Scratchpad used during a task.
    case working
    /// Anything else.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .shortTerm: "short_term"
        case .longTerm: "long_term"
        case .episodic: "episodic"
        case .semantic: "semantic"
        case .working: "working"
        case .custom(let s): s
        }
    }
}

/// The result of a memory operation.
public enum MemoryResult: LabelValueConvertible {
    /// The operation succeeded (a recall found something relevant).
    case success
    /// A recall found nothing relevant.
    case miss
    /// The operation failed.
    case failure
    /// Anything else.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .success: "success"
        case .miss: "miss"
        case .failure: "failure"
        case .custom(let s): s
        }
    }
}

/// An operation on agent memory finished.
public struct MemoryOperation: StandardEvent {
    public static let eventName = "memory_operation"
    /// When it finished.
    public var timestamp: EventTimestamp
    /// What was done.
    public var operation: MemoryOperationKind
    /// Which store.
    public var memoryType: MemoryType
    /// How it went.
    public var result: MemoryResult
    /// How long it took, if measured.
    public var duration: Duration?
    /// For recalls that were evaluated: the fraction of recalled items that were relevant (0…1).
    public var recallAccuracy: Double?

    /// Creates the event.
    public init(operation: MemoryOperationKind, memoryType: MemoryType = .longTerm, result: MemoryResult,
                duration: Duration? = nil, recallAccuracy: Double? = nil, timestamp: EventTimestamp = .now) {
        self.operation = operation
        self.memoryType = memoryType
        self.result = result
        self.duration = duration
        self.recallAccuracy = recallAccuracy
        self.timestamp = timestamp
    }

    /// `memory_operations_total{operation,memory_type,result}`.
    public static let operations = MetricDescriptor(
        "memory_operations_total", .counter, help: "Memory operations by operation, memory type and result.",
        labels: ["operation", "memory_type", "result"], category: .agentic,
        labelGuidance: ["operation": "bounded", "memory_type": "bounded", "result": "bounded: success, miss, failure"],
        promQL: "sum(rate({ns}_memory_operations_total{operation=\"recall\",result=\"success\"}[15m])) / sum(rate({ns}_memory_operations_total{operation=\"recall\"}[15m]))")
    /// `memory_operation_duration_seconds{operation}`.
    public static let duration = MetricDescriptor(
        "memory_operation_duration_seconds", .histogram, help: "Memory operation duration.", unit: .seconds,
        labels: ["operation"], buckets: Buckets.agentLatency, category: .agentic, labelGuidance: ["operation": "bounded"])
    /// `memory_recall_accuracy_ratio` (histogram of observed accuracies).
    public static let recallAccuracy = MetricDescriptor(
        "memory_recall_accuracy_ratio", .histogram, help: "Observed memory recall accuracy (fraction of recalled items that were relevant).",
        unit: .ratio, buckets: Buckets.ratio, category: .agentic,
        promQL: "sum(rate({ns}_memory_recall_accuracy_ratio_sum[15m])) / sum(rate({ns}_memory_recall_accuracy_ratio_count[15m]))")
    /// `memory_recall_accuracy_last_ratio` (gauge: the last observed accuracy).
    public static let lastRecallAccuracy = MetricDescriptor(
        "memory_recall_accuracy_last_ratio", .gauge, help: "The most recent observed memory recall accuracy.",
        unit: .ratio, category: .agentic)

    public static var metrics: [MetricDescriptor] { [operations, duration, recallAccuracy, lastRecallAccuracy] }

    public func record(into m: StandardMetrics) {
        let op = operation.labelValue
        m.counter(Self.operations)?.labels(op, memoryType.labelValue, result.labelValue).increment()
        if let duration { m.histogram(Self.duration)?.labels(op).observe(duration) }
        if let accuracy = recallAccuracy, accuracy.isFinite {
            let clamped = min(1, max(0, accuracy))
            m.histogram(Self.recallAccuracy)?.series.observe(clamped)
            m.gauge(Self.lastRecallAccuracy)?.series.set(clamped)
        }
    }
}
