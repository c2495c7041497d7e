import AgentTelemetry

/// Why an export did not (completely) reach the collector.
public enum OTLPExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body could not be compressed; nothing was sent.
    case compressionFailed(String)
    /// The collector answered with a status that must not be retried (e.g. 400, 401, 413).
    case nonRetryableStatus(Int, bodyExcerpt: String)
    /// Retries did not succeed before the export timeout; `lastProblem` is the last status or error.
    case timedOut(lastProblem: String)
    /// The collector answered with a redirect (3xx), which is never followed: it would send the
    /// data and the headers (API keys) to another address. `location` is the `Location` header
    /// with user info and query masked (empty when absent). Not retried.
    case redirected(status: Int, location: String)
    /// Nothing was sent: the collector asked to wait (`Retry-After`, capped by
    /// `maxRetryAfter`) and `remaining` of that wait is left.
    case waitingForRetryAfter(remaining: Duration)
    /// The export was cancelled before it completed.
    case cancelled

    /// A sentence for logs.
    public var description: String {
        switch self {
        case let .compressionFailed(why): "gzip compression failed: \(why)"
        case let .nonRetryableStatus(status, body): "collector answered HTTP \(status) (not retryable): \(body)"
        case let .timedOut(last): "export timed out while retrying; last problem: \(last)"
        case let .redirected(status, location):
            "collector answered HTTP \(status) redirecting to \(location.isEmpty ? "no location" : location); redirects are not followed, set the endpoint to the final URL"
        case let .waitingForRetryAfter(remaining):
            "nothing sent: the collector asked to wait (Retry-After), \(remaining.spelled) remain"
        case .cancelled: "export cancelled"
        }
    }
}
