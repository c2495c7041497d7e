/// The data-analysis vertical produced a visualisation.
public struct VisualizationCreated: StandardEvent {
    public static let eventName = "visualization_created"
    public var timestamp: EventTimestamp
    /// Kind of chart (`line`, `bar`, `table`, ...).
    public var kind: String

    /// Creates the event.
    public init(kind: String, timestamp: EventTimestamp = .now) {
        self.kind = kind
        self.timestamp = timestamp
    }

    /// `data_visualizations_total{kind}`.
    public static let visualizations = MetricDescriptor(
        "data_visualizations_total", .counter, help: "Visualisations created, by kind.", labels: ["kind"],
        category: .verticals, labelGuidance: ["kind": "a handful of chart kinds"])

    public static var metrics: [MetricDescriptor] { [visualizations] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.visualizations)?.labels(kind).increment()
        m.countVerticalUsage(.dataAnalysis, .success)
    }
}
