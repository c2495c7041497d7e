import AgentTelemetry
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Streams every metric update of a registry to a StatsD server as batched datagrams.
///
/// While ``run()`` runs, a listener on the registry sees each counter increment, gauge change
/// and histogram observation; the caller never waits. With ``StatsDConfiguration/aggregation``
/// (the default) it adds them up per series, and every ``StatsDConfiguration/flushInterval`` the
/// sums, last gauge values and packed histogram values become lines (see ``StatsDLineEncoder``).
/// Without it each update becomes a line at once on a bounded queue. The exporter sends the
/// lines as datagrams of up to ``StatsDConfiguration/effectiveMaxPacketSize`` bytes, as soon as a
/// datagram's worth is queued and otherwise every ``StatsDConfiguration/flushInterval``. On graceful shutdown or
/// cancellation it detaches from the registry, sends what is queued and closes the socket.
///
/// Nothing here throws into agent code: a full queue, a line above the datagram limit, and send
/// errors (ECONNREFUSED when nothing listens on the UDP port, a missing Unix socket) are counted
/// in the registry and the exporter keeps going:
/// `agent_telemetry_statsd_lines_sent_total`, `agent_telemetry_statsd_lines_dropped_total{reason}`
/// (`queue_full`, `too_long`, `send_error`), `agent_telemetry_statsd_datagrams_sent_total`,
/// `agent_telemetry_statsd_send_errors_total`. These families are never themselves sent to StatsD.
/// Send errors and failed look-ups are logged the first time at once, then at most once per
/// ``StatsDConfiguration/errorLogInterval`` with the number suppressed meanwhile. A host that
/// does not resolve is looked up again after 1 s, doubling up to 60 s while it keeps failing;
/// lines queued meanwhile are dropped and counted (`send_error`).
///
/// A `TelemetryExporter`: add it to the application's `ServiceGroup` before `Telemetry`. It also
/// runs the registry's collectors every ``collectInterval`` (process statistics, session expiry),
/// since nothing else reads a registry that is only streamed.
public final class StatsDExporter: TelemetryExporter, Sendable {
    /// The exporter's own metrics (never themselves sent to StatsD).
    public static var selfMetrics: [MetricDescriptor] { StatsDHealth.descriptors }
    /// How often the registry's collectors run while streaming.
    public static let collectInterval: Duration = .seconds(15)
    /// The settings in force (validated).
    public let configuration: StatsDConfiguration
    private let registry: MetricRegistry
    /// Where the flush and collector intervals are measured.
    private let clock: TelemetryClock
    private let logger: Logger
    private let queue: StatsDLineQueue
    private let listener: any MetricUpdateListener
    /// The listener when it aggregates: its sums are put on the queue before each send.
    private let aggregator: StatsDAggregator?
    private let sender: StatsDSender
    private let started = Atomic<Bool>(false)
    private let streaming = Atomic<Bool>(false)

    /// Whether updates are being captured: `true` from the start of ``run()`` until it detaches
    /// from the registry at shutdown. Updates made while it is `false` are not sent.
    public var isStreaming: Bool { streaming.load(ordering: .acquiring) }

    /// Creates an exporter; nothing is sent until ``run()``.
    ///
    /// - Parameters:
    ///   - registry: the metrics to stream; the exporter's health counters are registered here.
    ///   - configuration: where and how to send; validated here.
    ///   - logger: receives send-error reports (throttled) and address changes.
    ///   - eventLoopGroup: runs the socket; the shared NIO singleton by default.
    ///   - clock: where the flush and collector intervals are measured (tests pass a manual clock).
    /// - Throws: ``ConfigurationIssues`` for unusable settings, or `MetricRegistrationError`
    ///   when the registry already holds a family with a health metric's name but another shape.
    public convenience init(
        registry: MetricRegistry,
        configuration: StatsDConfiguration = StatsDConfiguration(),
        logger: Logger = Logger(label: "agent-telemetry.statsd"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        clock: TelemetryClock = .continuous
    ) throws {
        try self.init(registry: registry, configuration: configuration, logger: logger,
                      eventLoopGroup: eventLoopGroup, resolver: StatsDSender.systemResolver, clock: clock)
    }

    /// Creates an exporter that looks hosts up with `resolver` (tests count look-ups with it).
    init(
        registry: MetricRegistry,
        configuration: StatsDConfiguration,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup,
        resolver: @escaping StatsDSender.Resolver,
        clock: TelemetryClock = .continuous
    ) throws {
        if case let issues = configuration.validate(), !issues.isEmpty { throw ConfigurationIssues(issues) }
        self.configuration = configuration
        self.registry = registry
        self.clock = clock
        self.logger = logger
        let health = StatsDHealth(registry: registry, logger: logger, logInterval: configuration.errorLogInterval)
        let queue = StatsDLineQueue(capacity: configuration.queueCapacity, wakeThreshold: configuration.effectiveMaxPacketSize)
        self.queue = queue
        let encoder = StatsDLineEncoder(configuration: configuration, commonLabels: registry.commonLabels)
        if configuration.aggregation {
            let aggregator = StatsDAggregator(
                encoder: encoder, sampleRate: configuration.sampleRate, capacity: configuration.queueCapacity,
                maxLineBytes: configuration.effectiveMaxPacketSize, queue: queue)
            self.aggregator = aggregator
            self.listener = aggregator
        } else {
            self.aggregator = nil
            self.listener = StatsDUpdateListener(encoder: encoder, sampleRate: configuration.sampleRate, queue: queue)
        }
        self.sender = StatsDSender(
            configuration: configuration, group: eventLoopGroup, queue: queue, health: health, logger: logger,
            resolver: resolver)
    }

    /// Streams updates until graceful shutdown or cancellation, then sends what is queued and
    /// closes the socket. Returns normally in both cases; an exporter runs once.
    ///
    /// - Throws: ``StatsDExporterError/alreadyRunning`` when called a second time.
    public func run() async throws {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            throw StatsDExporterError.alreadyRunning
        }
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        queue.setWake(wake)
        registry.addUpdateListener(listener)
        streaming.store(true, ordering: .releasing)
        let interval = configuration.flushInterval
        let sender = self.sender
        let aggregator = self.aggregator
        let registry = self.registry
        let clock = self.clock

        await withDiscardingTaskGroup { group in
            // Interval flushes; the stream ends on graceful shutdown or cancellation.
            group.addTask {
                await PeriodicRunner(interval: interval, clock: clock.swiftClock).run(tick: { wake.yield() }, final: { wake.finish() })
            }
            group.addTask {
                await PeriodicRunner(interval: Self.collectInterval, clock: clock.swiftClock).run(tick: { registry.runCollectors() }, final: {})
            }
            // Flushes when a datagram's worth is queued or the interval ticks.
            for await _ in wakes {
                aggregator?.flush()
                await sender.flush()
            }
        }

        registry.removeUpdateListener(listener)
        streaming.store(false, ordering: .releasing)
        queue.setWake(nil)
        wake.finish()
        // The final flush: datagram writes are not cancellable, and the wait for them is bounded.
        aggregator?.flush()
        await sender.flush()
        await sender.close()
    }

    /// Sends every queued line now (normally the exporter does this on its own). Returns once the
    /// datagrams are handed to the socket, without waiting for them to be written.
    public func flush() async {
        aggregator?.flush()
        await sender.flush()
    }
}
