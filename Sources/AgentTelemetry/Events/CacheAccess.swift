/// What happened in a cache.
public enum CacheResult: LabelValueConvertible {
    /// The entry was found.
    case hit
    /// The entry was not found.
    case miss
    /// An entry was evicted.
    case eviction

    public var labelValue: String {
        switch self {
        case .hit: "hit"
        case .miss: "miss"
        case .eviction: "eviction"
        }
    }
}

/// A cache lookup or eviction.
public struct CacheAccess: TelemetryEvent {
    public static let eventName = "cache_access"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it happened.
    public var timestamp: EventTimestamp
    /// Which cache (`embeddings`, `llm_responses`, ...).
    public var cache: String
    /// Hit, miss or eviction.
    public var result: CacheResult

    /// Creates the event.
    public init(cache: String, result: CacheResult, timestamp: EventTimestamp = .now) {
        self.cache = cache
        self.result = result
        self.timestamp = timestamp
    }
}
