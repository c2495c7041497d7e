import AgentTelemetry
import Logging

/// The exporter's own metrics, registered in the registry it exports.
///
/// Every update is one atomic operation on a pre-resolved series. If registration fails (a
/// family with the same name but a different shape already exists), the problem is logged once
/// and that metric is simply not recorded.
struct OTLPExporterHealth: Sendable {
    static let exports = MetricDescriptor(
        "agent_telemetry_otlp_exports_total", .counter,
        help: "OTLP export requests by outcome (a split export counts each request).",
        unit: .annotation("export"), labels: ["result"], category: .selfObservability, namespaced: false, origin: .pipeline)
    static let retries = MetricDescriptor(
        "agent_telemetry_otlp_retries_total", .counter,
        help: "OTLP export requests sent again after a retryable status or a connection error.",
        unit: .annotation("retry"), category: .selfObservability, namespaced: false, origin: .pipeline)
    static let sentBytes = MetricDescriptor(
        "agent_telemetry_otlp_sent_bytes_total", .counter,
        help: "OTLP request body bytes sent (after compression, retries included).", unit: .bytes,
        category: .selfObservability, namespaced: false, origin: .pipeline)
    static let rejectedPoints = MetricDescriptor(
        "agent_telemetry_otlp_rejected_data_points_total", .counter,
        help: "Data points the collector refused in a partial_success response.",
        unit: .annotation("data_point"), category: .selfObservability, namespaced: false, origin: .pipeline)
    static let lastSuccessTime = MetricDescriptor(
        "agent_telemetry_otlp_last_success_timestamp_seconds", .gauge,
        help: "Unix time of the last OTLP export request the collector accepted.", unit: .seconds,
        category: .selfObservability, namespaced: false, origin: .pipeline)

    /// Every descriptor, in catalog order.
    static let descriptors = [exports, retries, sentBytes, rejectedPoints, lastSuccessTime]

    private let success: CounterSeries
    private let failure: CounterSeries
    private let retriedSeries: CounterSeries
    private let sentBytesSeries: CounterSeries
    private let rejected: CounterSeries
    private let lastSuccess: GaugeSeries

    /// Registers the families (never throws: a conflicting family is logged and left detached).
    init(registry: MetricRegistry) {
        let exports = registry.counter(Self.exports)
        success = exports.labels("success")
        failure = exports.labels("failure")
        retriedSeries = registry.counter(Self.retries).series
        sentBytesSeries = registry.counter(Self.sentBytes).series
        rejected = registry.counter(Self.rejectedPoints).series
        lastSuccess = registry.gauge(Self.lastSuccessTime).series
    }

    func succeeded(atNanoseconds now: UInt64) {
        success.increment()
        lastSuccess.set(Double(now) / 1e9)
    }

    func failed() { failure.increment() }
    func retried() { retriedSeries.increment() }
    func sent(bytes: Int) { sentBytesSeries.increment(by: bytes) }
    func rejected(points: Int64) { if points > 0 { rejected.increment(by: Int(points)) } }
}
