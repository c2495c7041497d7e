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
