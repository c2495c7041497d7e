extension ContainersManaged: StandardEvent {
    /// `devops_containers_managed_total{action}`.
    public static let managed = MetricDescriptor(
        "devops_containers_managed_total", .counter, help: "Containers acted on, by action.", unit: .annotation("container"), labels: ["action"],
        category: .verticals, labelGuidance: ["action": "a handful of actions"])

    public static var metrics: [MetricDescriptor] { [managed] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.managed)?.labels(action).increment(by: max(0, count), exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .devops, .success)
    }
}
