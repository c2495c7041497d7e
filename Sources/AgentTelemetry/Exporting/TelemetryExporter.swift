import ServiceLifecycle

/// The one contract every exporter follows: the Prometheus endpoint, the textfile writer, OTLP,
/// StatsD, and any exporter a user writes.
///
/// An exporter is a swift-service-lifecycle `Service` that an application adds to its own
/// `ServiceGroup` (after `Telemetry`, so that on shutdown it stops after the bus has drained).
/// Its configuration decodes from its section of the YAML file and validates itself; its own
/// metrics are declared once, as descriptors, which the catalog and the generated docs collect.
/// Interval work goes through `PeriodicRunner`, which makes one final run on shutdown.
public protocol TelemetryExporter: Service {
    /// The exporter's settings, as read from its section of the configuration file.
    associatedtype Configuration: TelemetryConfigurationSection
    /// The settings in force.
    var configuration: Configuration { get }
    /// The exporter's own metrics (health, traffic), registered when the exporter is created.
    static var selfMetrics: [MetricDescriptor] { get }
}
