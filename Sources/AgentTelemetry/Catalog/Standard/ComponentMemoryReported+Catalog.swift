extension ComponentMemoryReported: StandardEvent {
    /// `component_memory_bytes{component}`.
    public static let memory = MetricDescriptor(
        "component_memory_bytes", .gauge, help: "Memory held by a component, as last reported by it.", unit: .bytes,
        labels: ["component"], category: .performance, labelGuidance: ["component": "a handful of component names"])

    public static var metrics: [MetricDescriptor] { [memory] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.gauge(Self.memory)?.labels(component).set(Double(max(0, bytes)))
    }
}
