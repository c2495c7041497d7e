import AgentTelemetry

/// Why an ``OTLPExporterConfiguration`` cannot be used: thrown by `resolvedMetricsURL()` and
/// reported by `forceFlush()` of an exporter created with an invalid configuration.
public enum OTLPConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint is not an absolute `http` or `https` URL with a host. The URL is given with
    /// any credentials masked; the reason never repeats a part of it.
    case invalidEndpoint(String, reason: String)
    /// A duration that must be positive is zero or negative.
    case nonPositiveDuration(name: String)
    /// `maxDataPointsPerRequest` is out of range.
    case invalidMaxDataPoints(Int)
    /// A header name is empty or contains characters HTTP does not allow in a token.
    case invalidHeaderName(String)
    /// A header value contains a line break or another control character.
    case invalidHeaderValue(name: String)
    /// A required string (service name, scope name) is empty.
    case emptyValue(name: String)
    /// Every problem `validate()` found.
    case invalidSettings([ConfigurationIssue])

    /// A sentence saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case let .invalidEndpoint(url, reason):
            "OTLP endpoint \(ConfigurationText.quotedForMessage(url)) is invalid: it \(reason); expected e.g. http://127.0.0.1:4318"
        case let .nonPositiveDuration(name):
            "OTLP \(name) must be greater than zero"
        case let .invalidMaxDataPoints(n):
            "OTLP max_data_points_per_request must be between 1 and 10000000 (got \(n))"
        case let .invalidHeaderName(name):
            "OTLP header name \(ConfigurationText.quotedForMessage(name)) is not a valid HTTP token"
        case let .invalidHeaderValue(name):
            "OTLP header \(ConfigurationText.quotedForMessage(name)) has a value with control characters (line breaks are not allowed)"
        case let .emptyValue(name):
            "OTLP \(name) must not be empty"
        case let .invalidSettings(issues):
            "invalid OTLP settings: " + ConfigurationIssues(issues).description
        }
    }
}
