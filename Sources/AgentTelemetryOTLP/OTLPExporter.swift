import AgentTelemetry
import AsyncHTTPClient
import Logging
import ServiceLifecycle
import Synchronization

/// Pushes the registry to an OpenTelemetry collector as OTLP/HTTP protobuf on an interval.
///
/// Run it as a swift-service-lifecycle `Service`: `run()` exports every `exportInterval`
/// (fixed rate), and on graceful shutdown or cancellation makes one final export, so what was
/// recorded before shutdown reaches the collector. Errors never reach agent code: they are
/// logged and counted in the exporter's health metrics (`agent_telemetry_otlp_*`), which it
/// registers in the same registry.
///
/// Cost per export: one registry snapshot, one encoding pass (≈100 bytes per data point before
/// gzip) and one HTTP request per `maxDataPointsPerRequest` points.
public final class OTLPExporter: Service, Sendable {
    /// The configuration the exporter was created with.
    public let configuration: OTLPExporterConfiguration
    private let pipeline: OTLPExportPipeline?
    private let configurationError: OTLPConfigurationError?
    private let logger: Logger
    private let state = Mutex<RunState>(RunState())

    private struct RunState {
        var stopped = false
        var sleeper: Task<Void, any Error>?
    }

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
        let health = OTLPExporterHealth(registry: registry, logger: logger)
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

    /// Exports every `exportInterval` until graceful shutdown, cancellation or `shutdown()`,
    /// then exports once more. Does not throw for export failures.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await periodicExports()
            } onCancel: {
                self.requestStop()
            }
        } onGracefulShutdown: {
            self.requestStop()
        }
        await finalExport()
    }

    /// Exports the registry now and waits for the result.
    /// - Throws: `OTLPExportError` when the configuration is invalid or some request was not accepted.
    public func forceFlush() async throws {
        guard let pipeline else {
            throw OTLPExportError.invalidConfiguration(configurationError ?? .emptyValue(name: "configuration"))
        }
        if let problem = await pipeline.export() { throw problem }
    }

    /// Stops the periodic loop and makes the final export (once, even if `run()` also reaches it).
    /// Returns when the final export has completed or timed out.
    public func shutdown() async {
        requestStop()
        await finalExport()
    }

    private func periodicExports() async {
        guard let pipeline else { return await waitUntilStopped() }
        let clock = ContinuousClock()
        var next = clock.now.advanced(by: configuration.exportInterval)
        while true {
            let target = next
            let sleeper: Task<Void, any Error>? = state.withLock { s in
                guard !s.stopped else { return nil }
                let t = Task { try await Task.sleep(until: target, clock: clock) }
                s.sleeper = t
                return t
            }
            guard let sleeper, (try? await sleeper.value) != nil else { return }
            if state.withLock({ $0.stopped }) { return }
            _ = await pipeline.export()
            // Fixed rate; ticks missed while a slow export ran are skipped, not replayed.
            let now = clock.now
            repeat { next = next.advanced(by: configuration.exportInterval) } while next <= now
        }
    }

    private func waitUntilStopped() async {
        let sleeper: Task<Void, any Error>? = state.withLock { s in
            guard !s.stopped else { return nil }
            let t = Task { try await Task.sleep(for: .seconds(86_400 * 365)) }
            s.sleeper = t
            return t
        }
        _ = try? await sleeper?.value
    }

    private func requestStop() {
        let sleeper = state.withLock { s -> Task<Void, any Error>? in
            s.stopped = true
            defer { s.sleeper = nil }
            return s.sleeper
        }
        sleeper?.cancel()
    }

    /// Runs the final export in an unstructured task so a cancelled caller does not cut it short;
    /// it is still bounded by the export timeout.
    private func finalExport() async {
        guard let pipeline else { return }
        _ = await Task { await pipeline.finalExport() }.value
    }
}
