import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import AgentTelemetrySwiftMetrics

/// The complete catalog: the core's (`MetricCatalog.all`: events, process sampler, bus,
/// registry) followed by the metrics each exporter and the swift-metrics bridge declare as their
/// own. The generated documents, `agent-telemetry catalog` and the rule and dashboard checks
/// read this list.
public enum TelemetryCatalog {
    /// Every descriptor, each once, in catalog order.
    public static let all: [MetricDescriptor] = MetricCatalog.all
        + PrometheusExporter.selfMetrics + OTLPExporter.selfMetrics + StatsDExporter.selfMetrics
        + AgentTelemetryMetricsFactory.selfMetrics

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
