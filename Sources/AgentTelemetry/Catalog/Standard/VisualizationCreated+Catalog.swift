extension VisualizationCreated: StandardEvent {
    /// `data_visualizations_total{kind}`.
    public static let visualizations = MetricDescriptor(
        "data_visualizations_total", .counter, help: "Visualisations created, by kind.", unit: .annotation("visualization"), labels: ["kind"],
        category: .verticals, labelGuidance: ["kind": "a handful of chart kinds"])

    public static var metrics: [MetricDescriptor] { [visualizations] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.visualizations)?.labels(kind).increment(exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .dataAnalysis, .success)
    }
}
