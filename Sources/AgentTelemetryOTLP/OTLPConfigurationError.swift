/// A problem found by `OTLPExporterConfiguration.validate()`.
public enum OTLPConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint is not an absolute `http` or `https` URL with a host.
    case invalidEndpoint(String, reason: String)
    /// A duration that must be positive is zero or negative.
    case nonPositiveDuration(name: String)
    /// `maxDataPointsPerRequest` is below 1.
    case invalidMaxDataPoints(Int)
    /// A header name is empty or contains characters HTTP does not allow in a token.
    case invalidHeaderName(String)
    /// A header value contains a line break or another control character.
    case invalidHeaderValue(name: String)
    /// A required string (service name, scope name) is empty.
    case emptyValue(name: String)

    /// A sentence saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case let .invalidEndpoint(url, reason):
            "OTLP endpoint \"\(url)\" is invalid: \(reason); expected e.g. http://127.0.0.1:4318"
        case let .nonPositiveDuration(name):
            "OTLP \(name) must be greater than zero"
        case let .invalidMaxDataPoints(n):
            "OTLP maxDataPointsPerRequest must be at least 1 (got \(n))"
        case let .invalidHeaderName(name):
            "OTLP header name \"\(name)\" is not a valid HTTP token"
        case let .invalidHeaderValue(name):
            "OTLP header \"\(name)\" has a value with control characters (line breaks are not allowed)"
        case let .emptyValue(name):
            "OTLP \(name) must not be empty"
        }
    }
}
