/// The number of code analyses waiting to run changed.
public struct CodingQueueChanged: StandardEvent {
    public static let eventName = "coding_queue_changed"
    public var timestamp: EventTimestamp
    /// Analyses waiting.
    public var pending: Int

    /// Creates the event.
    public init(pending: Int, timestamp: EventTimestamp = .now) {
        self.pending = pending
        self.timestamp = timestamp
    }

    /// `coding_analyses_pending`.
    public static let pendingAnalyses = MetricDescriptor(
        "coding_analyses_pending", .gauge, help: "Code analyses waiting to run (backlog).", category: .verticals)

    public static var metrics: [MetricDescriptor] { [pendingAnalyses] }

    public func record(into m: StandardMetrics) {
        m.gauge(Self.pendingAnalyses)?.series.set(Double(max(0, pending)))
    }
}
