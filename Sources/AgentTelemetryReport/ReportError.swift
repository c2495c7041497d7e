/// Why a report could not be produced. Each description is one line, fit for standard error.
package enum ReportError: Error, Sendable, CustomStringConvertible {
    /// The server did not answer (connection refused, DNS, timeout).
    case unreachable(url: String, reason: String)
    /// The server answered with a non-2xx status.
    case httpStatus(url: String, status: Int)
    /// Prometheus answered, but not with a successful API response.
    case prometheusAPI(url: String, message: String)
    /// The body at a metrics URL or in a file is not a text exposition.
    case notExposition(location: String, ExpositionParseError)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)

    package var description: String {
        switch self {
        case let .unreachable(url, reason): "cannot reach \(url): \(reason)"
        case let .httpStatus(url, status): "\(url) answered HTTP \(status)"
        case let .prometheusAPI(url, message): "Prometheus API error from \(url): \(message)"
        case let .notExposition(location, error): "\(location): \(error)"
        case let .unreadableFile(path, reason): "cannot read \(path): \(reason)"
        }
    }
}
