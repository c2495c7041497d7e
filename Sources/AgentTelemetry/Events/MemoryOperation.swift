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
public struct MemoryOperation: TelemetryEvent {
    public static let eventName = "memory_operation"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
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
}
