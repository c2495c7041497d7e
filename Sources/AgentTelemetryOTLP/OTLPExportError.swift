/// Why an export did not (completely) reach the collector.
public enum OTLPExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration is invalid; nothing was sent.
    case invalidConfiguration(OTLPConfigurationError)
    /// The body could not be compressed; nothing was sent.
    case compressionFailed(String)
    /// The collector answered with a status that must not be retried (e.g. 400, 401, 413).
    case nonRetryableStatus(Int, bodyExcerpt: String)
    /// Retries did not succeed before the export timeout; `lastProblem` is the last status or error.
    case timedOut(lastProblem: String)
    /// The export was cancelled before it completed.
    case cancelled

    /// A sentence for logs.
    public var description: String {
        switch self {
        case let .invalidConfiguration(e): "invalid OTLP configuration: \(e)"
        case let .compressionFailed(why): "gzip compression failed: \(why)"
        case let .nonRetryableStatus(status, body): "collector answered HTTP \(status) (not retryable): \(body)"
        case let .timedOut(last): "export timed out while retrying; last problem: \(last)"
        case .cancelled: "export cancelled"
        }
    }
}
