import AgentTelemetry

/// Everything the OTLP exporter needs to know: where to push, how often, in which form.
///
/// Defaults follow the OpenTelemetry SDK environment conventions: `http://127.0.0.1:4318`,
/// a 60 s interval, a 10 s timeout, cumulative temporality, gzip. A value is plain data;
/// call `validate()` before use to get every problem at once instead of a failing export.
///
/// In the configuration file it is `exporters.otlp` (`endpoint`, `metrics_endpoint`, `headers`,
/// `headers_file`, `interval`, `temporality`, `compression`, `timeout`, `connect_timeout`,
/// `max_data_points_per_request`, `initial_backoff`, `max_backoff`, `max_retry_after`, `tls`);
/// the service identity comes
/// from the file's `service:` section. Encoding writes those keys with header values and URL
/// credentials replaced by `***`: it is meant for printing an effective configuration, not for
/// storing one.
public struct OTLPExporterConfiguration: TelemetryConfigurationSection, Encodable {
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
    /// Upper bound for establishing one connection (TCP, and TLS for `https`), so that a collector
    /// that does not answer costs one attempt this long rather than the whole `timeout`; the
    /// remaining time goes to retries. It also bounds how long stopping the exporter waits for a
    /// connection attempt in progress. Applies to the client the exporter creates itself (not to
    /// a caller's `httpClient`). Default 2 s.
    public var connectTimeout: Duration
    /// Exports with more data points than this are split into several requests.
    public var maxDataPointsPerRequest: Int
    /// The first retry waits about this long; each further retry doubles it (with jitter).
    public var initialBackoff: Duration
    /// Backoff never exceeds this (`Retry-After` is bounded by `maxRetryAfter` instead).
    public var maxBackoff: Duration
    /// The longest wait a collector's `Retry-After` (on 429, 502, 503, 504) is honoured for.
    /// The wait holds across exports: until it has passed, periodic exports and `forceFlush()`
    /// send nothing (the final export at shutdown still tries). A longer `Retry-After` is cut to
    /// this. Default 5 min.
    public var maxRetryAfter: Duration
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
    /// A repeated warning (the same kind of export failure, partial success, refusal) is logged
    /// the first time at once, then at most once per this interval with the number of similar
    /// ones suppressed meanwhile (those are logged at debug level). Not a file key. Default 60 s.
    public var errorLogInterval: Duration
    /// TLS of the exporter's own client for `https` endpoints: a private CA, a client
    /// certificate for mutual TLS. `nil` (the default): the system trust store, no client
    /// certificate. Not applied to a caller's `httpClient`.
    public var tls: OTLPTLSConfiguration?

    /// Creates a configuration; every parameter has the conventional default.
    public init(
        endpoint: String = "http://127.0.0.1:4318",
        metricsEndpoint: String? = nil,
        headers: [String: String] = [:],
        exportInterval: Duration = .seconds(60),
        temporality: OTLPTemporality = .cumulative,
        compression: OTLPCompression = .gzip,
        timeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(2),
        maxDataPointsPerRequest: Int = 10_000,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(5),
        maxRetryAfter: Duration = .seconds(300),
        serviceName: String = "agent-telemetry",
        serviceVersion: String? = nil,
        serviceInstanceID: String = RandomUUID.make(),
        resourceAttributes: [String: String] = [:],
        scopeName: String = "agent-telemetry",
        scopeVersion: String? = OTLPExporterConfiguration.sdkVersion,
        errorLogInterval: Duration = .seconds(60),
        tls: OTLPTLSConfiguration? = nil
    ) {
        self.endpoint = endpoint
        self.metricsEndpoint = metricsEndpoint
        self.headers = headers
        self.exportInterval = exportInterval
        self.temporality = temporality
        self.compression = compression
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxDataPointsPerRequest = maxDataPointsPerRequest
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
        self.serviceInstanceID = serviceInstanceID
        self.resourceAttributes = resourceAttributes
        self.scopeName = scopeName
        self.scopeVersion = scopeVersion
        self.errorLogInterval = errorLogInterval
        self.tls = tls
    }

    /// The URL requests are posted to: `metricsEndpoint` when set, else `<endpoint>/v1/metrics`.
    /// Throws `ConfigurationIssues` for a malformed URL, with the issue `validate()` reports for
    /// `endpoint` or `metrics_endpoint`.
    public func resolvedMetricsURL() throws(ConfigurationIssues) -> String {
        do throws(OTLPConfigurationError) { return try metricsURL() } catch { throw error.issues }
    }

    /// `resolvedMetricsURL()` with the module's own error.
    func metricsURL() throws(OTLPConfigurationError) -> String {
        if let metricsEndpoint { return try OTLPEndpoint(parsing: metricsEndpoint).url }
        return try OTLPEndpoint(parsing: endpoint).appendingMetricsPath.url
    }

    /// Accepted values of `interval`: 1 s to 1 day. A shorter interval makes an exporter post
    /// many requests a second and spend a visible share of a core on encoding (1 ms gave 240
    /// requests per second); tests that want an export now call `forceFlush()` or drive the
    /// interval with a manual clock.
    public static let intervalLimits: ClosedRange<Duration> = .seconds(1) ... .seconds(86_400)
    /// Accepted values of `timeout` and `connect_timeout`: 1 ms to 10 minutes.
    public static let timeoutLimits: ClosedRange<Duration> = .milliseconds(1) ... .seconds(600)
    /// Accepted values of `initial_backoff` and `max_backoff`: 1 ms to 10 minutes.
    public static let backoffLimits: ClosedRange<Duration> = .milliseconds(1) ... .seconds(600)
    /// Accepted values of `max_retry_after`: 1 ms to 1 day.
    public static let maxRetryAfterLimits: ClosedRange<Duration> = .milliseconds(1) ... .seconds(86_400)
    /// Accepted values of `max_data_points_per_request`.
    public static let maxDataPointsLimits: ClosedRange<Int> = 1...10_000_000

    /// Every problem of the settings, keyed by the file's names (`endpoint`, `interval`,
    /// `headers.<name>`, `tls.key_file`); empty when valid. Messages never contain a header value
    /// or URL credentials. Cost: a scan of each URL and header; with `tls`, reading and checking
    /// its files.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        for (key, url) in [("endpoint", endpoint), ("metrics_endpoint", metricsEndpoint)] {
            guard let url else { continue }
            do throws(OTLPConfigurationError) {
                _ = try OTLPEndpoint(parsing: url)
            } catch {
                if case let .invalidEndpoint(masked, reason) = error {
                    issues.append(ConfigurationIssue([key], "\(ConfigurationText.quotedForMessage(masked)) \(reason)"))
                }
            }
        }
        for (key, value, limits) in [("interval", exportInterval, Self.intervalLimits), ("timeout", timeout, Self.timeoutLimits),
                                     ("connect_timeout", connectTimeout, Self.timeoutLimits),
                                     ("initial_backoff", initialBackoff, Self.backoffLimits), ("max_backoff", maxBackoff, Self.backoffLimits),
                                     ("max_retry_after", maxRetryAfter, Self.maxRetryAfterLimits)] {
            if let issue = ConfigurationIssue.outOfRange([key], value, limits: limits) { issues.append(issue) }
        }
        if errorLogInterval < .zero { issues.append(ConfigurationIssue([], "the error log interval must not be negative")) }
        if !Self.maxDataPointsLimits.contains(maxDataPointsPerRequest) {
            let l = Self.maxDataPointsLimits
            issues.append(ConfigurationIssue(["max_data_points_per_request"], "\(maxDataPointsPerRequest) is out of range \(l.lowerBound)…\(l.upperBound)"))
        }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            if name.isEmpty {
                issues.append(ConfigurationIssue(["headers"], "a header name is empty"))
            } else if !name.utf8.allSatisfy(Self.isTokenByte) {
                issues.append(ConfigurationIssue(["headers", name], "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)"))
            }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
                issues.append(ConfigurationIssue(["headers", name], "the value contains a line break or another control character"))
            }
        }
        if serviceName.isEmpty { issues.append(ConfigurationIssue([], "the service name must not be empty")) }
        if scopeName.isEmpty { issues.append(ConfigurationIssue([], "the scope name must not be empty")) }
        issues += (tls?.validate() ?? []).map { $0.prefixed(by: ["tls"]) }
        return issues
    }

    /// Throws ``OTLPConfigurationError/invalidSettings(_:)`` with every problem `validate()` finds.
    func requireValid() throws(OTLPConfigurationError) {
        let issues = validate()
        if !issues.isEmpty { throw .invalidSettings(issues) }
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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case endpoint
        case metricsEndpoint = "metrics_endpoint"
        case headers
        case headersFile = "headers_file"
        case interval, temporality, compression, timeout
        case connectTimeout = "connect_timeout"
        case maxDataPointsPerRequest = "max_data_points_per_request"
        case initialBackoff = "initial_backoff"
        case maxBackoff = "max_backoff"
        case maxRetryAfter = "max_retry_after"
        case tls
    }

    /// Decodes `exporters.otlp`; absent keys keep the defaults of ``init(endpoint:metricsEndpoint:headers:exportInterval:temporality:compression:timeout:connectTimeout:maxDataPointsPerRequest:initialBackoff:maxBackoff:maxRetryAfter:serviceName:serviceVersion:serviceInstanceID:resourceAttributes:scopeName:scopeVersion:errorLogInterval:tls:)``.
    /// A `headers_file` (lines `Name: value`) is read here; `headers` entries override it by name.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint) ?? endpoint
        metricsEndpoint = try c.decodeIfPresent(String.self, forKey: .metricsEndpoint)
        let fromFile = try c.decodeIfPresent(HeadersFile.self, forKey: .headersFile)?.headers ?? [:]
        let inline = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        headers = fromFile.merging(inline) { $1 }
        exportInterval = try c.decodeDurationIfPresent(forKey: .interval) ?? exportInterval
        temporality = try c.decodeChoiceIfPresent(OTLPTemporality.self, forKey: .temporality) ?? temporality
        compression = try c.decodeChoiceIfPresent(OTLPCompression.self, forKey: .compression) ?? compression
        timeout = try c.decodeDurationIfPresent(forKey: .timeout) ?? timeout
        connectTimeout = try c.decodeDurationIfPresent(forKey: .connectTimeout) ?? connectTimeout
        maxDataPointsPerRequest = try c.decodeIfPresent(Int.self, forKey: .maxDataPointsPerRequest) ?? maxDataPointsPerRequest
        initialBackoff = try c.decodeDurationIfPresent(forKey: .initialBackoff) ?? initialBackoff
        maxBackoff = try c.decodeDurationIfPresent(forKey: .maxBackoff) ?? maxBackoff
        maxRetryAfter = try c.decodeDurationIfPresent(forKey: .maxRetryAfter) ?? maxRetryAfter
        tls = try c.decodeIfPresent(OTLPTLSConfiguration.self, forKey: .tls)
    }

    /// Writes the file's keys; header values and URL credentials as `***` in the printed
    /// configuration (``Swift/Encoder/masksSecrets``), as they are otherwise.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let masks = encoder.masksSecrets
        func url(_ u: String) -> String { masks ? ConfigurationText.maskingCredentials(in: u, isURL: true) : u }
        try c.encode(url(endpoint), forKey: .endpoint)
        try c.encodeIfPresent(metricsEndpoint.map(url), forKey: .metricsEndpoint)
        try c.encode(headers.mapValues { encoder.printable(secret: $0) }, forKey: .headers)
        try c.encodeDuration(exportInterval, forKey: .interval)
        try c.encodeChoice(temporality, forKey: .temporality)
        try c.encodeChoice(compression, forKey: .compression)
        try c.encodeDuration(timeout, forKey: .timeout)
        try c.encodeDuration(connectTimeout, forKey: .connectTimeout)
        try c.encode(maxDataPointsPerRequest, forKey: .maxDataPointsPerRequest)
        try c.encodeDuration(initialBackoff, forKey: .initialBackoff)
        try c.encodeDuration(maxBackoff, forKey: .maxBackoff)
        try c.encodeDuration(maxRetryAfter, forKey: .maxRetryAfter)
        try c.encodeIfPresent(tls, forKey: .tls)
    }
}

extension OTLPTemporality: ConfigurationChoice {
    package static var spellings: [(name: String, value: OTLPTemporality)] { [("cumulative", .cumulative), ("delta", .delta)] }
}

extension OTLPCompression: ConfigurationChoice {
    package static var spellings: [(name: String, value: OTLPCompression)] { [("gzip", .gzip), ("none", .none)] }
}

/// `headers_file`: a file of `Name: value` lines (blank lines and `#` comments skipped, LF or
/// CRLF endings). Errors name the line number, never its content.
struct HeadersFile: Decodable {
    var headers: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let path = try c.decode(String.self)
        let text: String
        switch ConfigurationFile.readSecret(path) {
        case .success(let t): text = t
        case .failure(let problem):
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(ConfigurationText.quotedForMessage(path)) \(problem)")
        }
        for (number, rawLine) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var bytes = Array(rawLine)
            if bytes.last == 0x0D { bytes.removeLast() }
            let line = ConfigurationText.trimmed(String(decoding: bytes, as: UTF8.self))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "line \(number + 1) of \(ConfigurationText.quotedForMessage(path)) is not \"Name: value\"")
            }
            headers[ConfigurationText.trimmed(line[..<colon])] = ConfigurationText.trimmed(line[line.index(after: colon)...])
        }
    }
}
