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
    /// The textfile collector output, when configured (and Prometheus is enabled).
    public var textfile: PrometheusTextfileConfiguration?
    /// The OTLP push exporter, when enabled.
    public var otlp: OTLPExporterConfiguration?
    /// The StatsD exporter, when enabled.
    public var statsd: StatsDConfiguration?
    /// Log level.
    public var logLevel: Logger.Level
    /// The bound of a whole stop: producers, the bus drain and the exporters' final runs
    /// (`shutdown_timeout`; default 10 s, at most ``maximumShutdownTimeout``).
    public var shutdownTimeout: Duration
    /// Remarks about the configuration that are not errors, for a person to read (e.g. that an
    /// empty file means every default).
    public var notes: [String]

    /// `shutdown_timeout` when the file does not set it.
    public static let defaultShutdownTimeout: Duration = .seconds(10)
    /// The largest accepted `shutdown_timeout`.
    public static let maximumShutdownTimeout: Duration = .seconds(600)

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
