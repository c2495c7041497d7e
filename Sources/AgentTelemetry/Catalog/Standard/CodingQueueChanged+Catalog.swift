extension CodingQueueChanged: StandardEvent {
    /// `coding_analyses_pending`.
    public static let pendingAnalyses = MetricDescriptor(
        "coding_analyses_pending", .gauge, help: "Code analyses waiting to run (backlog).", unit: .annotation("analysis"), category: .verticals)

    public static var metrics: [MetricDescriptor] { [pendingAnalyses] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.gauge(Self.pendingAnalyses)?.series.set(Double(max(0, pending)))
    }
}
