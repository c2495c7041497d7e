import AgentTelemetry
import AsyncHTTPClient
import Logging
import ServiceLifecycle

/// Pushes the registry to an OpenTelemetry collector as OTLP/HTTP protobuf on an interval.
///
/// A `TelemetryExporter`: add it to the application's `ServiceGroup` before `Telemetry`. `run()`
/// exports every `exportInterval` (fixed rate, through `PeriodicRunner`) and, on graceful
/// shutdown, makes one final export, so what was recorded before the stop reaches the collector
/// (cancellation is a hard stop: the final export is attempted but its request is cancelled).
/// Errors never reach agent code: they are logged and counted in the exporter's own metrics
/// (`agent_telemetry_otlp_*`, `selfMetrics`), registered in the same registry.
///
/// Cost per export: one registry snapshot, one encoding pass (≈100 bytes per data point before
/// gzip) and one HTTP request per `maxDataPointsPerRequest` points.
public final class OTLPExporter: TelemetryExporter, Sendable {
    /// The exporter's own metrics.
    public static var selfMetrics: [MetricDescriptor] { OTLPExporterHealth.descriptors }
    /// The configuration the exporter was created with.
    public let configuration: OTLPExporterConfiguration
    private let pipeline: OTLPExportPipeline?
    private let configurationError: OTLPConfigurationError?
    private let logger: Logger

    /// Creates an exporter for `registry`.
    ///
    /// An invalid configuration does not throw here: it is logged, `run()` then only waits for
    /// shutdown and `forceFlush()` throws it. Call `configuration.validate()` first to fail early.
    /// - Parameters:
    ///   - registry: the metrics to export; the exporter's own health metrics are registered in it.
    ///   - configuration: endpoint, interval, temporality and the rest.
    ///   - logger: where failures are reported.
    ///   - httpClient: the client to use; `HTTPClient.shared` when `nil` (the caller keeps
    ///     ownership of a client it passes and shuts it down after the exporter).
    public init(
        registry: MetricRegistry,
        configuration: OTLPExporterConfiguration,
        logger: Logger = Logger(label: "agent-telemetry.otlp"),
        httpClient: HTTPClient? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        let health = OTLPExporterHealth(registry: registry)
        do {
            try configuration.requireValid()
            let url = try configuration.resolvedMetricsURL()
            let sender = OTLPHTTPSender(client: httpClient ?? HTTPClient.shared, url: url,
                                        configuration: configuration, health: health, logger: logger)
            self.pipeline = OTLPExportPipeline(registry: registry, configuration: configuration,
                                               sender: sender, health: health, logger: logger)
            self.configurationError = nil
        } catch {
            logger.error("OTLP exporter disabled: invalid configuration", metadata: ["error": "\(error)"])
            self.pipeline = nil
            self.configurationError = error
        }
    }

    /// Exports every `exportInterval` until graceful shutdown or cancellation, then exports once
    /// more. Does not throw for export failures. With an invalid configuration it only waits for
    /// the stop.
    public func run() async throws {
        guard let pipeline else {
            try? await gracefulShutdown()
            return
        }
        await PeriodicRunner(interval: configuration.exportInterval).run(
            tick: { _ = await pipeline.export() },
            final: { _ = await pipeline.finalExport() })
    }

    /// Exports the registry now and waits for the result.
    /// - Throws: `OTLPExportError` when the configuration is invalid or some request was not accepted.
    public func forceFlush() async throws {
        guard let pipeline else {
            throw OTLPExportError.invalidConfiguration(configurationError ?? .emptyValue(name: "configuration"))
        }
        if let problem = await pipeline.export() { throw problem }
    }
}
