/// A component reported how much memory it holds (caches, indexes, model weights).
public struct ComponentMemoryReported: StandardEvent {
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

    /// `component_memory_bytes{component}`.
    public static let memory = MetricDescriptor(
        "component_memory_bytes", .gauge, help: "Memory held by a component, as last reported by it.", unit: .bytes,
        labels: ["component"], category: .performance, labelGuidance: ["component": "a handful of component names"])

    public static var metrics: [MetricDescriptor] { [memory] }

    public func record(into m: StandardMetrics) {
        m.gauge(Self.memory)?.labels(component).set(Double(max(0, bytes)))
    }
}
