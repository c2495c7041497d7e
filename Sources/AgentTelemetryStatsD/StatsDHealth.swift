import AgentTelemetry
import Logging
import Synchronization

/// The exporter's own metrics, kept in the same registry, plus the send-error log throttle.
///
/// These families start with ``namePrefix``; the update listener ignores that prefix, so
/// counting a sent line never produces another line.
final class StatsDHealth: Sendable {
    /// Families with this name prefix are never sent to StatsD.
    static let namePrefix = "agent_telemetry_statsd_"

    let linesSent: CounterSeries
    let droppedQueueFull: CounterSeries
    let droppedTooLong: CounterSeries
    let droppedSendError: CounterSeries
    let datagramsSent: CounterSeries
    let sendErrors: CounterSeries

    private let logger: Logger
    private let logInterval: Duration
    private let logState = Mutex<LogState>(LogState())

    private struct LogState {
        var lastLogged: ContinuousClock.Instant?
        var unloggedErrors = 0
    }

    static let linesSentMetric = MetricDescriptor(
        "agent_telemetry_statsd_lines_sent_total", .counter,
        help: "StatsD lines handed to the network in datagrams that were sent without error.",
        category: .selfObservability, namespaced: false, origin: .pipeline)
    static let linesDroppedMetric = MetricDescriptor(
        "agent_telemetry_statsd_lines_dropped_total", .counter,
        help: "StatsD lines dropped: queue_full (send queue at capacity), too_long (line above the datagram limit), send_error (datagram failed).",
        labels: ["reason"], category: .selfObservability, namespaced: false, origin: .pipeline)
    static let datagramsSentMetric = MetricDescriptor(
        "agent_telemetry_statsd_datagrams_sent_total", .counter,
        help: "StatsD datagrams sent without error.",
        category: .selfObservability, namespaced: false, origin: .pipeline)
    static let sendErrorsMetric = MetricDescriptor(
        "agent_telemetry_statsd_send_errors_total", .counter,
        help: "StatsD send failures: failed datagram writes, errors reported by the socket (ECONNREFUSED), failed connects.",
        category: .selfObservability, namespaced: false, origin: .pipeline)

    /// Every descriptor, in catalog order.
    static let descriptors = [linesSentMetric, linesDroppedMetric, datagramsSentMetric, sendErrorsMetric]

    /// Registers the families (never throws: a conflicting family is logged and left detached).
    init(registry: MetricRegistry, logger: Logger, logInterval: Duration) {
        let dropped = registry.counter(Self.linesDroppedMetric)
        self.linesSent = registry.counter(Self.linesSentMetric).series
        self.droppedQueueFull = dropped.labels(["queue_full"])
        self.droppedTooLong = dropped.labels(["too_long"])
        self.droppedSendError = dropped.labels(["send_error"])
        self.datagramsSent = registry.counter(Self.datagramsSentMetric).series
        self.sendErrors = registry.counter(Self.sendErrorsMetric).series
        self.logger = logger
        self.logInterval = logInterval
    }

    /// Counts one send error and logs it unless an error was logged less than an interval ago.
    func sendFailed(_ error: any Error, what: String) {
        sendErrors.increment()
        let now = ContinuousClock.now
        let suppressed: Int? = logState.withLock { s in
            if let last = s.lastLogged, last.duration(to: now) < logInterval {
                s.unloggedErrors += 1
                return nil
            }
            s.lastLogged = now
            defer { s.unloggedErrors = 0 }
            return s.unloggedErrors
        }
        if let suppressed {
            let since = suppressed > 0 ? " (\(suppressed) more since the last report)" : ""
            logger.warning(
                "statsd send error while \(what): \(error)\(since); all are counted in agent_telemetry_statsd_send_errors_total, logged at most once per \(logInterval)")
        }
    }
}
