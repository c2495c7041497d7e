import AgentTelemetry
import Logging

/// The exporter's own metrics, registered in the registry it exports.
///
/// Every update is one atomic operation on a pre-resolved series. If registration fails (a
/// family with the same name but a different shape already exists), the problem is logged once
/// and that metric is simply not recorded.
struct OTLPExporterHealth: Sendable {
    private let success: Counter?
    private let failure: Counter?
    private let retries: Counter?
    private let sentBytes: Counter?
    private let rejected: Counter?
    private let lastSuccess: Gauge?

    init(registry: MetricRegistry, logger: Logger) {
        func attempt<T>(_ name: String, _ make: () throws(MetricRegistrationError) -> T) -> T? {
            do { return try make() } catch {
                logger.error("OTLP exporter cannot register its health metric", metadata: ["metric": "\(name)", "error": "\(error)"])
                return nil
            }
        }
        let exports = attempt("agent_telemetry_otlp_exports_total") { () throws(MetricRegistrationError) in
            try registry.counter("agent_telemetry_otlp_exports_total",
                                 help: "OTLP export requests by outcome (a split export counts each request).",
                                 labelNames: ["result"])
        }
        success = exports?.labels("success")
        failure = exports?.labels("failure")
        retries = attempt("agent_telemetry_otlp_retries_total") { () throws(MetricRegistrationError) in
            try registry.counter("agent_telemetry_otlp_retries_total",
                                 help: "OTLP export requests sent again after a retryable status or a connection error.")
        }?.series
        sentBytes = attempt("agent_telemetry_otlp_sent_bytes_total") { () throws(MetricRegistrationError) in
            try registry.counter("agent_telemetry_otlp_sent_bytes_total",
                                 help: "OTLP request body bytes sent (after compression, retries included).", unit: .bytes)
        }?.series
        rejected = attempt("agent_telemetry_otlp_rejected_data_points_total") { () throws(MetricRegistrationError) in
            try registry.counter("agent_telemetry_otlp_rejected_data_points_total",
                                 help: "Data points the collector refused in a partial_success response.")
        }?.series
        lastSuccess = attempt("agent_telemetry_otlp_last_success_timestamp_seconds") { () throws(MetricRegistrationError) in
            try registry.gauge("agent_telemetry_otlp_last_success_timestamp_seconds",
                               help: "Unix time of the last OTLP export request the collector accepted.", unit: .seconds)
        }?.series
    }

    func succeeded(atNanoseconds now: UInt64) {
        success?.increment()
        lastSuccess?.set(Double(now) / 1e9)
    }

    func failed() { failure?.increment() }
    func retried() { retries?.increment() }
    func sent(bytes: Int) { sentBytes?.increment(by: bytes) }
    func rejected(points: Int64) { if points > 0 { rejected?.increment(by: Int(points)) } }
}
