/// A component reported how much memory it holds (caches, indexes, model weights).
public struct ComponentMemoryReported: TelemetryEvent {
    public static let eventName = "component_memory_reported"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
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
