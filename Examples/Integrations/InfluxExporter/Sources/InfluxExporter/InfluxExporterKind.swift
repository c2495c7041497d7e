import AgentTelemetry
import AgentTelemetryRuntime
import ServiceLifecycle

/// The plug-in: `exporters.influxdb` in the configuration builds an ``InfluxExporter``.
///
/// ```swift
/// let plugins = TelemetryPlugins.builtIn.adding(exporter: InfluxExporterKind())
/// let runtime = try TelemetryRuntime.bootstrap(config: ConfigurationLoader.load(path: "agent.yaml", plugins: plugins))
/// ```
public struct InfluxExporterKind: TelemetryExporterKind {
    /// ``InfluxConfiguration``.
    public typealias Configuration = InfluxConfiguration
    /// Creates the kind.
    public init() {}
    /// `influxdb`.
    public var key: String { "influxdb" }
    /// ``InfluxExporter/selfMetrics``.
    public var selfMetrics: [MetricDescriptor] { InfluxExporter.selfMetrics }

    /// One exporter.
    public func makeServices(configuration: InfluxConfiguration, context: ExporterContext) throws -> [any Service] {
        [InfluxExporter(registry: context.registry, configuration: configuration, logger: context.logger, clock: context.clock)]
    }
}

extension TelemetryPlugins {
    /// The built-ins and `influxdb`.
    public static var withInflux: TelemetryPlugins { builtIn.adding(exporter: InfluxExporterKind()) }
}
