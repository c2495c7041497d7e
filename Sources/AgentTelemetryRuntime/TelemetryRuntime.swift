import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import Logging
import ServiceLifecycle
import Synchronization

/// A running telemetry pipeline built from a configuration: the bus, the standard subscriber,
/// the process sampler and every enabled exporter, as swift-service-lifecycle services.
///
/// ```swift
/// let runtime = try TelemetryRuntime.bootstrap(config: ConfigurationLoader.load(path: "agent-telemetry.yaml"))
/// runtime.telemetry.emit(ToolExecuted(...))
/// try await runtime.run()   // until SIGTERM/SIGINT; then flushes the bus and every exporter
/// ```
public final class TelemetryRuntime: Sendable {
    /// The pipeline: emit, subscribe, registry, flush.
    public let telemetry: Telemetry
    /// The resolved configuration.
    public let configuration: RuntimeConfiguration
    /// The `/metrics` endpoint, when enabled.
    public let prometheus: PrometheusExporter?
    /// The textfile writer, when configured.
    public let textfile: PrometheusTextfileWriter?
    /// The OTLP exporter, when enabled.
    public let otlp: OTLPExporter?
    /// The StatsD exporter, when enabled.
    public let statsd: StatsDExporter?
    let logger: Logger
    private let state = Mutex<(group: ServiceGroup?, stopped: Bool)>((nil, false))

    /// Builds the pipeline from `config`. With `installGlobally`, it also becomes the
    /// process-wide default (`TelemetrySystem.emit`).
    public static func bootstrap(config: RuntimeConfiguration, installGlobally: Bool = true,
                                 logger: Logger? = nil) throws -> TelemetryRuntime {
        var log = logger ?? Logger(label: "agent-telemetry")
        log.logLevel = config.logLevel
        let runtime = try TelemetryRuntime(configuration: config, logger: log)
        if installGlobally { TelemetrySystem.bootstrap(runtime.telemetry) }
        return runtime
    }

    /// Builds the pipeline (the bus starts now; exporters start in `run()`).
    public init(configuration: RuntimeConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let telemetry = try Telemetry(configuration: configuration.telemetry, logger: logger)
        self.telemetry = telemetry
        self.prometheus = configuration.prometheus.map { PrometheusExporter(registry: telemetry.registry, configuration: $0, logger: logger) }
        self.textfile = configuration.textfile.map {
            PrometheusTextfileWriter(registry: telemetry.registry, path: $0.path, interval: $0.interval, logger: logger)
        }
        self.otlp = configuration.otlp.map { OTLPExporter(registry: telemetry.registry, configuration: $0, logger: logger) }
        self.statsd = try configuration.statsd.map { try StatsDExporter(registry: telemetry.registry, configuration: $0, logger: logger) }
    }

    /// The services to run, in start order; shutdown runs in reverse, so exporters stop after
    /// the bus has been drained.
    var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        var list: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let statsd { list.append(.init(service: statsd)) }
        if let otlp { list.append(.init(service: otlp)) }
        if let textfile { list.append(.init(service: textfile)) }
        if let prometheus { list.append(.init(service: prometheus)) }
        list.append(.init(service: CollectorService(registry: telemetry.registry, interval: .seconds(15))))
        list.append(.init(service: BusDrainService(telemetry: telemetry)))
        return list
    }

    /// How long a graceful shutdown may take before the remaining services are cancelled (a
    /// subscriber stuck in `handle` must not keep the process alive forever).
    public static let maximumGracefulShutdownDuration: Duration = .seconds(30)

    /// Runs every exporter until SIGTERM or SIGINT (or cancellation), then shuts down gracefully:
    /// the bus is drained, and each exporter exports once more. A graceful shutdown taking longer
    /// than `maximumGracefulShutdownDuration` cancels what is left. On plain task cancellation
    /// (no signal) all services are cancelled at once, so the final exports may not include
    /// events still in the bus; use `shutdown()` or a signal for an orderly stop.
    public func run(handleSignals: Bool = true) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
            cancellationSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = Self.maximumGracefulShutdownDuration
        let group = ServiceGroup(configuration: configuration)
        let proceed = state.withLock { s -> Bool in
            if s.stopped { return false }
            s.group = group
            return true
        }
        guard proceed else { return }
        try await group.run()
    }

    /// Starts a graceful shutdown of a running `run()`.
    public func shutdown() async {
        let group = state.withLock { s -> ServiceGroup? in
            s.stopped = true
            return s.group
        }
        if let group { await group.triggerGracefulShutdown() } else { await telemetry.shutdown() }
    }
}

/// Runs the registry's collectors on an interval, so sampled values (process statistics, idle
/// session expiry) stay current and reach streaming exporters even when nothing takes snapshots.
struct CollectorService: Service {
    let registry: MetricRegistry
    let interval: Duration

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            registry.runCollectors()
            _ = try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }
}

/// Keeps the bus running while the service group runs and drains it on graceful shutdown.
///
/// It is the last service in the group, so it shuts down first: everything emitted before the
/// signal reaches the registry before the exporters make their final export.
struct BusDrainService: Service {
    let telemetry: Telemetry

    func run() async throws {
        try? await gracefulShutdown()
        await telemetry.shutdown()
    }
}
