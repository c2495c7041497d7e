import AgentTelemetry
import AsyncHTTPClient
import Logging
import NIOSSL
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
///
/// HTTP: unless the caller passes a client, `run()` creates one for its lifetime and shuts it
/// down when it returns. That client never follows redirects (a 3xx is logged and counted as a
/// failure: following it would re-send the data and the headers, API keys included, to another
/// address), gives each connection attempt `connectTimeout` and leaves retrying to the exporter
/// (so a refused port fails the attempt at once and the next one follows the backoff).
/// Repeated warnings are logged at most once per `errorLogInterval` with a count of those
/// suppressed; header values and the URL's user info and query never appear in a log line.
public final class OTLPExporter: TelemetryExporter, Sendable {
    /// The exporter's own metrics.
    public static var selfMetrics: [MetricDescriptor] { OTLPExporterHealth.descriptors }
    /// The configuration the exporter was created with.
    public let configuration: OTLPExporterConfiguration
    /// Where the export interval is measured.
    let clock: TelemetryClock
    private let pipeline: OTLPExportPipeline
    private let logger: Logger

    /// Creates an exporter for `registry`.
    ///
    /// An invalid configuration throws here, before anything starts (the one failure policy of
    /// every exporter, docs/ARCHITECTURE.md): every problem `configuration.validate()` finds, an
    /// endpoint that is not a usable URL, or a TLS file that cannot be loaded.
    /// - Parameters:
    ///   - registry: the metrics to export; the exporter's own health metrics are registered in it.
    ///   - configuration: endpoint, interval, temporality and the rest.
    ///   - logger: where failures are reported.
    ///   - httpClient: the client to use. When `nil` (the default) the exporter creates its own,
    ///     configured as described above, in `run()` (a `forceFlush()` outside `run()` uses a
    ///     client of its own for that export) and shuts it down itself. A client passed here
    ///     stays the caller's: its redirect and timeout settings apply and the caller shuts it
    ///     down after the exporter has stopped.
    ///   - clock: where the export interval is measured (tests pass a manual clock).
    /// - Throws: `ConfigurationIssues` with every problem of `configuration`, key paths from the
    ///   `otlp` section.
    public init(
        registry: MetricRegistry,
        configuration: OTLPExporterConfiguration,
        logger: Logger = Logger(label: "agent-telemetry.otlp"),
        httpClient: HTTPClient? = nil,
        clock: TelemetryClock = .continuous
    ) throws(ConfigurationIssues) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let url: String
        let source: OTLPExportPipeline.ClientSource
        do throws(OTLPConfigurationError) {
            try configuration.requireValid()
            url = try configuration.metricsURL()
            if let httpClient {
                source = .provided(httpClient)
            } else {
                source = .owned(try Self.clientConfiguration(configuration))
            }
        } catch {
            throw error.issues
        }
        let health = OTLPExporterHealth(registry: registry)
        let limiter = OTLPLogLimiter(interval: configuration.errorLogInterval)
        let redaction = OTLPRedaction(headers: configuration.headers, url: url)
        let sender = OTLPHTTPSender(url: url, configuration: configuration, health: health, logger: logger,
                                    limiter: limiter, redaction: redaction)
        Self.warnAboutTLS(configuration, url: url, ownClient: httpClient == nil, logger: logger)
        self.pipeline = OTLPExportPipeline(registry: registry, configuration: configuration, sender: sender,
                                           clientSource: source, health: health, logger: logger,
                                           limiter: limiter, redaction: redaction)
    }

    /// Exports every `exportInterval` until graceful shutdown or cancellation, then exports once
    /// more. Does not throw for export failures (they are logged rate-limited, counted and
    /// retried).
    ///
    /// While a collector's `Retry-After` is pending, periodic exports send nothing; the final
    /// export is still attempted. The HTTP client the exporter created is shut down before
    /// `run()` returns.
    /// - Throws: only when shutting down the exporter's own HTTP client fails.
    public func run() async throws {
        let pipeline = self.pipeline
        let client = pipeline.makeOwnedClient()
        if let client { await pipeline.attach(client) }
        await PeriodicRunner(interval: configuration.exportInterval, clock: clock.swiftClock).run(
            tick: { _ = await pipeline.export() },
            final: { _ = await pipeline.finalExport() })
        if let client {
            await pipeline.detach()
            try await client.shutdown()
        }
    }

    /// The settings of a client the exporter creates: no redirects, `connectTimeout` per
    /// connection attempt, connection failures returned at once (the exporter retries them
    /// with its own backoff, within the export timeout), responses decompressed as
    /// `HTTPClient.shared` does, and the `tls` settings (CA, client certificate) loaded from
    /// their files.
    /// - Throws: ``OTLPConfigurationError/invalidSettings(_:)`` when a TLS file cannot be used.
    static func clientConfiguration(_ c: OTLPExporterConfiguration) throws(OTLPConfigurationError) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: OTLPHTTPSender.timeAmount(c.connectTimeout)),
            decompression: .enabled(limit: .ratio(25)))
        configuration.connectionPool.retryConnectionEstablishment = false
        if let tls = c.tls, tls.isCustomised {
            switch tls.loaded() {
            case .success(let settings): configuration.tlsConfiguration = settings
            case .failure(let problems): throw .invalidSettings(problems.issues.map { $0.prefixed(by: ["tls"]) })
            }
        }
        return configuration
    }

    /// Warns once, when the exporter is created, about TLS settings that weaken or do nothing.
    private static func warnAboutTLS(_ c: OTLPExporterConfiguration, url: String, ownClient: Bool, logger: Logger) {
        guard let tls = c.tls, tls.isCustomised else { return }
        if !ownClient {
            logger.warning("OTLP tls settings are ignored: the exporter was given an HTTP client of the caller's, whose TLS settings apply")
        } else if !url.lowercased().hasPrefix("https://") {
            logger.warning("OTLP tls settings have no effect: the endpoint is not https, so exports are sent in clear text",
                           metadata: ["url": "\(OTLPRedaction.url(url))"])
        } else if tls.insecureSkipVerify {
            logger.warning("OTLP exporter does not verify the collector's certificate (tls.insecure_skip_verify); for a lab only: anyone on the path can read and change the exports",
                           metadata: ["url": "\(OTLPRedaction.url(url))"])
        }
    }

    /// What the latest export delivered (periodic, forced or final); nil before the first.
    public var latestExportOutcome: OTLPExportOutcome? { pipeline.outcomes.withLock { $0.latest } }

    /// What the final export (made when `run()` stops) delivered; nil until it has run. A
    /// program that reports its stop reads this to say what was not delivered.
    public var finalExportOutcome: OTLPExportOutcome? { pipeline.outcomes.withLock { $0.final } }

    /// Exports the registry now and waits for the result.
    /// - Throws: `OTLPExportError` when some request was not accepted; ``OTLPExportError/waitingForRetryAfter(remaining:)`` (nothing sent) while the
    ///   collector's `Retry-After` is pending.
    public func forceFlush() async throws {
        if let problem = await pipeline.export() { throw problem }
    }
}
