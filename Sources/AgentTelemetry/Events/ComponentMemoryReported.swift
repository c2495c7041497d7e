/// A component reported how much memory it holds (caches, indexes, model weights).
public struct ComponentMemoryReported: TelemetryEvent {
    public static let eventName = "component_memory_reported"
    public var timestamp: EventTimestamp
    /// Component name.
    public var component: String
    /// Bytes held.
    public var bytes: Int

    /// Creates the event.
    public init(component: String, bytes: Int, timestamp: EventTimestamp = .now) {
        self.component = component
        self.bytes = bytes
        self.timestamp = timestamp
    }
}
