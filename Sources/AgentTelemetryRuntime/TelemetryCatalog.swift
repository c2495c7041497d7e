import AgentTelemetry
import AgentTelemetrySwiftMetrics

/// The complete catalog: the core's (`MetricCatalog.all`: events, process sampler, bus,
/// registry) followed by the metrics each exporter and the swift-metrics bridge declare as their
/// own (the built-in exporter kinds' ``TelemetryExporterKind/selfMetrics``). The generated documents, `agent-telemetry catalog` and the rule and dashboard checks
/// read this list.
public enum TelemetryCatalog {
    /// Every descriptor, each once, in catalog order.
    public static let all: [MetricDescriptor] = MetricCatalog.all + componentMetrics(.builtIn)

    /// The metrics of the exporters of `plugins` and of the swift-metrics bridge, which views may
    /// name beside the core's.
    static func componentMetrics(_ plugins: TelemetryPlugins) -> [MetricDescriptor] {
        plugins.selfMetrics + AgentTelemetryMetricsFactory.selfMetrics
    }

    /// `docs/PRODUCTION_METRICS.md`; with `views`, the catalog as they leave it.
    public static func markdown(namespace: String = "agent", views: MetricViews? = nil) -> String {
        CatalogDocument.markdown(namespace: namespace, descriptors: all, views: views)
    }

    /// `docs/metric-catalog.json`; with `views`, the catalog as they leave it (renamed entries
    /// keep their `registered_name`, denied ones say `"exported": false`).
    public static func json(namespace: String = "agent", views: MetricViews? = nil) -> String {
        CatalogDocument.json(namespace: namespace, descriptors: all, views: views)
    }
}
