import AgentTelemetry

/// What a rate-limited OTLP message is about; each kind is limited on its own.
enum OTLPLogKind: Hashable, Sendable {
    /// A request or an export that did not reach the collector (connection errors,
    /// retryable statuses, exports given up).
    case delivery
    /// The collector accepted a request but rejected some of its points.
    case partialSuccess
    /// The collector refused a request with this status (not retried).
    case refused(Int)
    /// The collector answered with a redirect, which is never followed.
    case redirect
    /// The collector's response ended before its last byte (counted as a failed attempt).
    case cutShort
    /// The collector asked to wait (`Retry-After`) longer than the export timeout.
    case retryAfter
}

/// The OTLP exporter's repeated warnings, limited per kind (see `RateLimitedLog`).
typealias OTLPLogLimiter = RateLimitedLog<OTLPLogKind>
