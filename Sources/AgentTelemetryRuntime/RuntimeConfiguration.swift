import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import Logging

/// The effective configuration: file, environment and defaults resolved into the settings
/// of each part.
public struct RuntimeConfiguration: Sendable {
    /// Service name, version, instance id and attributes (the OTLP resource).
    public var service: ServiceIdentity
    /// Bus, registry and standard-metrics settings.
    public var telemetry: TelemetryConfiguration
    /// The `/metrics` endpoint, when enabled.
    public var prometheus: PrometheusExporterConfiguration?
    /// The textfile collector output, when configured.
    public var textfile: (path: String, interval: Duration)?
    /// The OTLP push exporter, when enabled.
    public var otlp: OTLPExporterConfiguration?
    /// The StatsD exporter, when enabled.
    public var statsd: StatsDConfiguration?
    /// Log level.
    public var logLevel: Logger.Level
    /// The file model after environment overrides, for printing.
    public var effective: FileConfiguration

    /// The service's identity.
    public struct ServiceIdentity: Sendable, Hashable {
        /// `service.name`.
        public var name: String
        /// `service.version`.
        public var version: String?
        /// `service.instance.id`.
        public var instanceID: String
        /// Other resource attributes.
        public var attributes: [String: String]
    }
}
