import AgentTelemetry
import Logging
import ServiceLifecycle
import Synchronization

/// The telemetry pipeline a configuration describes — the bus, the standard subscriber, the
/// process sampler and every enabled exporter — as one `Service` for the application's own
/// `ServiceGroup`.
///
/// ```swift
/// let runtime = try TelemetryRuntime.bootstrap(config: ConfigurationLoader.load(path: "agent-telemetry.yaml"))
/// let group = ServiceGroup(services: [runtime, httpServer],          // the runtime first: it stops last
///                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// TelemetrySystem.emit(ToolExecuted(...))
/// try await group.run()
/// ```
///
/// Inside, `run()` runs the exporters and `Telemetry` as a group of its own that handles no
/// signal: when the application's group shuts the runtime down (after the application's own
/// services, which produce events, have stopped), `Telemetry` drains the bus first, then each
/// exporter makes its final run. The whole stop is bounded by `shutdownTimeout`; what is still
/// running then is cancelled. The library never installs signal handlers.
public final class TelemetryRuntime: Service, Sendable {
    /// The pipeline: emit, subscribe, registry, flush.
    public let telemetry: Telemetry
    /// The resolved configuration.
    public let configuration: RuntimeConfiguration
    /// The enabled exporters' services, in kind order (see ``TelemetryPlugins/exporters``). Find one
    /// by type with ``exporter(ofType:)``.
    public let exporters: [any Service]
    /// The subscribers enabled under `subscribers:`, in kind order.
    public let subscribers: [any TelemetrySubscriber]
    /// The bound on a graceful stop, final exports included.
    public let shutdownTimeout: Duration
    let logger: Logger
    private let state = Mutex<(group: ServiceGroup?, stopRequested: Bool, requestStop: AsyncStream<Void>.Continuation?)>((nil, false, nil))

    /// Builds the pipeline from `config`. With `installGlobally`, it also becomes the
    /// process-wide default (`TelemetrySystem.emit`). Nothing runs until `run()`.
    public static func bootstrap(config: RuntimeConfiguration, installGlobally: Bool = true,
                                 logger: Logger? = nil) throws -> TelemetryRuntime {
        var log = logger ?? Logger(label: "agent-telemetry")
        log.logLevel = config.logLevel
        let runtime = try TelemetryRuntime(configuration: config, logger: log)
        if installGlobally { TelemetrySystem.bootstrap(runtime.telemetry) }
        return runtime
    }

    /// Builds the pipeline: each enabled exporter through its kind's `makeServices`, each enabled
    /// subscriber through its kind's `makeSubscriber`. Starts no task.
    /// - Throws: `ConfigurationIssues` when a plug-in's settings are invalid (a configuration
    ///   changed in code after loading is checked as the loader checks a file), with key paths
    ///   from the top of the file; `MetricRegistrationError` for a namespace that makes catalog
    ///   names invalid; or whatever a kind throws when it cannot be built.
    public init(configuration: RuntimeConfiguration, logger: Logger) throws {
        let issues = configuration.exporters.filter(\.enabled).validate().map { $0.prefixed(by: ["exporters"]) }
            + configuration.subscribers.filter(\.enabled).validate().map { $0.prefixed(by: ["subscribers"]) }
        guard issues.isEmpty else { throw ConfigurationIssues(issues) }
        self.configuration = configuration
        self.logger = logger
        self.shutdownTimeout = configuration.shutdownTimeout
        let telemetry = try Telemetry(configuration: configuration.telemetry, logger: logger)
        self.telemetry = telemetry
        let context = ExporterContext(registry: telemetry.registry, logger: logger, clock: configuration.telemetry.clock,
                                      service: configuration.service)
        var exporters: [any Service] = []
        for entry in configuration.exporters {
            guard let kind = entry.kind as? any TelemetryExporterKind else { continue }
            exporters += try kind.services(for: entry, context: context)
        }
        self.exporters = exporters
        let subscriberContext = SubscriberContext(logger: logger, service: configuration.service)
        var subscribers: [any TelemetrySubscriber] = []
        for entry in configuration.subscribers {
            guard let kind = entry.kind as? any TelemetrySubscriberKind,
                  let (subscriber, filter) = try kind.subscriber(for: entry, context: subscriberContext) else { continue }
            telemetry.subscribe(subscriber, filter: filter)
            subscribers.append(subscriber)
        }
        self.subscribers = subscribers
    }

    /// The first running exporter service of type `type`, e.g.
    /// `runtime.exporter(ofType: InfluxExporter.self)` for a plug-in's exporter; nil when none is enabled.
    public func exporter<T>(ofType type: T.Type) -> T? {
        for service in exporters { if let match = service as? T { return match } }
        return nil
    }

    /// The services in start order: the exporters (last kind first), then `Telemetry`. A group
    /// stops services in reverse order, so the bus drains before the exporters' final runs.
    public var services: [any Service] {
        exporters.reversed() + [telemetry]
    }

    /// Runs the exporters and `Telemetry` until graceful shutdown (of the application's group,
    /// or `shutdown()`), then stops them in order within `shutdownTimeout`. Throws when an
    /// exporter cannot start (a port already in use), which stops the others.
    ///
    /// The bound counts running time only (see `RunningTime`): a process stopped with SIGSTOP
    /// in the middle of its stop still makes its final exports when it continues. When the bound
    /// passes, what still runs is cancelled (a hard stop: the bus counts what it drops, an export
    /// in flight ends at once).
    public func run() async throws {
        let config = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
        let group = ServiceGroup(configuration: config)
        let (stopRequests, requestStop) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let stopAtOnce = state.withLock { s -> Bool in
            s.group = group
            s.requestStop = requestStop
            return s.stopRequested
        }
        if stopAtOnce {
            requestStop.yield()
            await group.triggerGracefulShutdown()
        }
        let bound = shutdownTimeout
        let logger = self.logger
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return true
            }
            tasks.addTask {
                // The stop begins with the enclosing group's graceful shutdown or `shutdown()`.
                await withTaskGroup(of: Void.self) { begins in
                    begins.addTask { try? await gracefulShutdown() }
                    begins.addTask { for await _ in stopRequests { return } }
                    _ = await begins.next()
                    begins.cancelAll()
                }
                try await RunningTime.sleep(for: bound)
                return false
            }
            var boundPassed = false
            while true {
                let next: Bool?
                do { next = try await tasks.next() } catch {
                    if boundPassed { break }  // the group ended because the bound cancelled it
                    throw error
                }
                guard let groupEnded = next, !groupEnded else { break }
                boundPassed = true
                logger.warning("the telemetry stop did not finish within shutdown_timeout; cancelling what still runs (a hard stop)",
                               metadata: ["shutdown_timeout": "\(ConfigDuration(bound))"])
                tasks.cancelAll()
            }
            tasks.cancelAll()
        }
    }

    /// Starts a graceful stop of a running `run()` (or makes a later `run()` stop at once), for
    /// programs that run the runtime without a `ServiceGroup` of their own. Returns at once.
    public func shutdown() async {
        let (group, requestStop) = state.withLock { s -> (ServiceGroup?, AsyncStream<Void>.Continuation?) in
            s.stopRequested = true
            return (s.group, s.requestStop)
        }
        requestStop?.yield()
        await group?.triggerGracefulShutdown()
    }
}
