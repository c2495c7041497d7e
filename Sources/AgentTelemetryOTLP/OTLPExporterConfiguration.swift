/// Everything the OTLP exporter needs to know: where to push, how often, in which form.
///
/// Defaults follow the OpenTelemetry SDK environment conventions: `http://127.0.0.1:4318`,
/// a 60 s interval, a 10 s timeout, cumulative temporality, gzip. A value is plain data;
/// call `validate()` before use to get a readable error instead of a failing export.
public struct OTLPExporterConfiguration: Sendable {
    /// The SDK version reported as `telemetry.sdk.version`.
    public static let sdkVersion = "0.1.0"

    /// Base URL of the collector (`OTEL_EXPORTER_OTLP_ENDPOINT`); requests go to `<endpoint>/v1/metrics`.
    public var endpoint: String
    /// A full metrics URL used as is, overriding `endpoint` (`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`).
    public var metricsEndpoint: String?
    /// Extra request headers, e.g. an API key.
    public var headers: [String: String]
    /// Time between periodic exports.
    public var exportInterval: Duration
    /// Cumulative (default) or delta temporality for counters and histograms.
    public var temporality: OTLPTemporality
    /// Body compression.
    public var compression: OTLPCompression
    /// Upper bound for one export, all its requests and retries included.
    public var timeout: Duration
    /// Exports with more data points than this are split into several requests.
    public var maxDataPointsPerRequest: Int
    /// The first retry waits about this long; each further retry doubles it (with jitter).
    public var initialBackoff: Duration
    /// Backoff never exceeds this (before `Retry-After`, which is honoured as sent).
    public var maxBackoff: Duration
    /// `service.name` resource attribute.
    public var serviceName: String
    /// `service.version` resource attribute, omitted when `nil`.
    public var serviceVersion: String?
    /// `service.instance.id` resource attribute; a random UUID by default.
    public var serviceInstanceID: String
    /// Further resource attributes; they may override the `service.*` ones but not `telemetry.sdk.*`.
    public var resourceAttributes: [String: String]
    /// Instrumentation scope name.
    public var scopeName: String
    /// Instrumentation scope version, omitted when `nil`.
    public var scopeVersion: String?

    /// Creates a configuration; every parameter has the conventional default.
    public init(
        endpoint: String = "http://127.0.0.1:4318",
        metricsEndpoint: String? = nil,
        headers: [String: String] = [:],
        exportInterval: Duration = .seconds(60),
        temporality: OTLPTemporality = .cumulative,
        compression: OTLPCompression = .gzip,
        timeout: Duration = .seconds(10),
        maxDataPointsPerRequest: Int = 10_000,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(5),
        serviceName: String = "agent-telemetry",
        serviceVersion: String? = nil,
        serviceInstanceID: String = RandomUUID.make(),
        resourceAttributes: [String: String] = [:],
        scopeName: String = "agent-telemetry",
        scopeVersion: String? = OTLPExporterConfiguration.sdkVersion
    ) {
        self.endpoint = endpoint
        self.metricsEndpoint = metricsEndpoint
        self.headers = headers
        self.exportInterval = exportInterval
        self.temporality = temporality
        self.compression = compression
        self.timeout = timeout
        self.maxDataPointsPerRequest = maxDataPointsPerRequest
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
        self.serviceInstanceID = serviceInstanceID
        self.resourceAttributes = resourceAttributes
        self.scopeName = scopeName
        self.scopeVersion = scopeVersion
    }

    /// The URL requests are posted to: `metricsEndpoint` when set, else `<endpoint>/v1/metrics`.
    /// Throws the same errors as `validate()` for a malformed URL.
    public func resolvedMetricsURL() throws(OTLPConfigurationError) -> String {
        if let metricsEndpoint { return try OTLPEndpoint(parsing: metricsEndpoint).url }
        return try OTLPEndpoint(parsing: endpoint).appendingMetricsPath.url
    }

    /// Checks URLs, durations, limits and headers; throws the first problem found.
    public func validate() throws(OTLPConfigurationError) {
        _ = try OTLPEndpoint(parsing: endpoint)
        if let metricsEndpoint { _ = try OTLPEndpoint(parsing: metricsEndpoint) }
        for (name, value) in [("exportInterval", exportInterval), ("timeout", timeout),
                              ("initialBackoff", initialBackoff), ("maxBackoff", maxBackoff)] where value <= .zero {
            throw .nonPositiveDuration(name: name)
        }
        guard maxDataPointsPerRequest >= 1 else { throw .invalidMaxDataPoints(maxDataPointsPerRequest) }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else { throw .invalidHeaderName(name) }
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) else {
                throw .invalidHeaderValue(name: name)
            }
        }
        if serviceName.isEmpty { throw .emptyValue(name: "serviceName") }
        if scopeName.isEmpty { throw .emptyValue(name: "scopeName") }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}
