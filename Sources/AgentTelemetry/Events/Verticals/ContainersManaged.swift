/// The DevOps vertical acted on containers.
public struct ContainersManaged: StandardEvent {
    public static let eventName = "containers_managed"
    public var timestamp: EventTimestamp
    /// What was done (`start`, `stop`, `restart`, `scale`).
    public var action: String
    /// How many containers.
    public var count: Int

    /// Creates the event.
    public init(action: String, count: Int, timestamp: EventTimestamp = .now) {
        self.action = action
        self.count = count
        self.timestamp = timestamp
    }

    /// `devops_containers_managed_total{action}`.
    public static let managed = MetricDescriptor(
        "devops_containers_managed_total", .counter, help: "Containers acted on, by action.", labels: ["action"],
        category: .verticals, labelGuidance: ["action": "a handful of actions"])

    public static var metrics: [MetricDescriptor] { [managed] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.managed)?.labels(action).increment(by: max(0, count))
        m.countVerticalUsage(.devops, .success)
    }
}
