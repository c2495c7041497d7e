import AgentTelemetry
import Logging

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
    private let limiter: StatsDLogLimiter

    static let linesSentMetric = MetricDescriptor(
        "agent_telemetry_statsd_lines_sent_total", .counter,
        help: "StatsD lines handed to the network in datagrams that were sent without error.",
        unit: .annotation("line"), category: .selfObservability, namespaced: false, origin: .pipeline)
    static let linesDroppedMetric = MetricDescriptor(
        "agent_telemetry_statsd_lines_dropped_total", .counter,
        help: "StatsD lines dropped: queue_full (send queue at capacity), too_long (line above the datagram limit), send_error (datagram failed).",
        unit: .annotation("line"), labels: ["reason"], category: .selfObservability, namespaced: false, origin: .pipeline)
    static let datagramsSentMetric = MetricDescriptor(
        "agent_telemetry_statsd_datagrams_sent_total", .counter,
        help: "StatsD datagrams sent without error.",
        unit: .annotation("datagram"), category: .selfObservability, namespaced: false, origin: .pipeline)
    static let sendErrorsMetric = MetricDescriptor(
        "agent_telemetry_statsd_send_errors_total", .counter,
        help: "StatsD send failures: failed datagram writes, errors reported by the socket (ECONNREFUSED), failed connects.",
        unit: .annotation("error"), category: .selfObservability, namespaced: false, origin: .pipeline)

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
        self.limiter = StatsDLogLimiter(interval: logInterval)
    }

    /// Counts one send error and logs it: the first at once, then at most once per interval with
    /// the number suppressed meanwhile (those go to debug level).
    func sendFailed(_ error: any Error, what: String) {
        sendErrors.increment()
        limiter.log(.send, logger, level: .warning,
                    "statsd send error while \(what): \(StatsDErrorText.describe(error)); every one is counted in agent_telemetry_statsd_send_errors_total")
    }

    /// Counts a failed look-up of the server's host as a send error and logs it (limited like
    /// ``sendFailed(_:what:)``). `retryIn` is the wait before the next look-up.
    func resolveFailed(_ error: any Error, host: String, retryIn: Duration, keepingAddress: Bool) {
        sendErrors.increment()
        let meanwhile = keepingAddress ? "sending to the last address it had" : "lines are dropped (counted as send_error) until it resolves"
        limiter.log(.resolve, logger, level: .warning,
                    "statsd host \(host) could not be resolved (\(StatsDErrorText.describe(error))); next look-up in \(retryIn.spelled); \(meanwhile)")
    }
}
