import AgentTelemetry

/// Why an ``OTLPExporterConfiguration`` cannot be used, inside the module; the public API reports
/// it as `ConfigurationIssues` (``issues``), the one public configuration error type.
enum OTLPConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint is not an absolute `http` or `https` URL with a host. The URL is given with
    /// any credentials masked; the reason never repeats a part of it.
    case invalidEndpoint(String, reason: String)
    /// Every problem `validate()` found.
    case invalidSettings([ConfigurationIssue])

    /// A sentence saying what is wrong and how to fix it.
    var description: String {
        switch self {
        case let .invalidEndpoint(url, reason):
            "OTLP endpoint \(ConfigurationText.quotedForMessage(url)) is invalid: it \(reason); expected e.g. http://127.0.0.1:4318"
        case let .invalidSettings(issues):
            "invalid OTLP settings: " + ConfigurationIssues(issues).description
        }
    }

    /// The problems as configuration issues, key paths from the `otlp` section.
    var issues: ConfigurationIssues {
        switch self {
        case let .invalidSettings(issues): ConfigurationIssues(issues)
        case .invalidEndpoint: ConfigurationIssues([ConfigurationIssue(["endpoint"], description)])
        }
    }
}
