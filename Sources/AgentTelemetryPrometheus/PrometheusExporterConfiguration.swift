import AgentTelemetry

/// How `/metrics` is protected.
public enum ScrapeAuthentication: Sendable, Hashable {
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: String)
}

/// Settings of the embedded `/metrics` endpoint: `exporters.prometheus` in the configuration file
/// (`host`, `port`, `path`, `gzip`, `idle_timeout`, `max_request_head_bytes`,
/// `request_head_timeout`, `max_connections`, `auth`, `tls`).
///
/// Encoding writes the settings as the file spells them with the token and password replaced by
/// `***`: it is meant for printing an effective configuration, not for storing one.
public struct PrometheusExporterConfiguration: TelemetryConfigurationSection, Encodable, Hashable {
    /// Address to bind (default `127.0.0.1`; use `0.0.0.0` to be scraped from other hosts).
    public var host: String
    /// Port to bind (default 9091; 0 picks a free port, readable from `PrometheusExporter.boundPort`).
    public var port: Int
    /// Path of the exposition (default `/metrics`).
    public var path: String
    /// Optional protection of the metrics path (`/health` stays open for probes).
    public var authentication: ScrapeAuthentication?
    /// Whether to gzip the body when the scraper sends `Accept-Encoding: gzip`.
    public var enableGzip: Bool
    /// Largest request line plus headers accepted; larger requests get 431 and are closed.
    public var maxRequestHeadBytes: Int
    /// Connections with nothing to read for this long are closed.
    public var idleTimeout: Duration
    /// Once a request head has started, all of it must arrive within this time or the connection
    /// is closed (a client trickling bytes cannot hold a connection by resetting the idle timer).
    public var requestHeadTimeout: Duration
    /// Connections served at once; further ones are closed as soon as they are accepted and
    /// counted in `agent_telemetry_prometheus_connections_refused_total`.
    public var maxConnections: Int
    /// TLS (and optionally mutual TLS) for every connection; `nil` (the default) serves plain HTTP.
    public var tls: PrometheusTLSConfiguration?

    /// Accepted values of `port` (0 picks a free port).
    public static let portLimits: ClosedRange<Int> = 0...65535
    /// Accepted values of `max_request_head_bytes`.
    public static let requestHeadLimits: ClosedRange<Int> = 1024...1_048_576
    /// Accepted values of `max_connections`.
    public static let connectionLimits: ClosedRange<Int> = 1...100_000

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 9091, path: String = "/metrics",
                authentication: ScrapeAuthentication? = nil, enableGzip: Bool = true,
                maxRequestHeadBytes: Int = 16 * 1024, idleTimeout: Duration = .seconds(60),
                requestHeadTimeout: Duration = .seconds(10), maxConnections: Int = 1024,
                tls: PrometheusTLSConfiguration? = nil) {
        self.host = host
        self.port = port
        self.path = path
        self.authentication = authentication
        self.enableGzip = enableGzip
        self.maxRequestHeadBytes = maxRequestHeadBytes
        self.idleTimeout = idleTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.maxConnections = maxConnections
        self.tls = tls
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, path, gzip
        case idleTimeout = "idle_timeout"
        case maxRequestHeadBytes = "max_request_head_bytes"
        case requestHeadTimeout = "request_head_timeout"
        case maxConnections = "max_connections"
        case auth, tls
    }

    /// Decodes the section; absent keys keep the defaults of ``init(host:port:path:authentication:enableGzip:maxRequestHeadBytes:idleTimeout:requestHeadTimeout:maxConnections:tls:)``.
    /// A `token_file` or `password_file` is read here.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
        enableGzip = try c.decodeIfPresent(Bool.self, forKey: .gzip) ?? enableGzip
        idleTimeout = try c.decodeDurationIfPresent(forKey: .idleTimeout) ?? idleTimeout
        maxRequestHeadBytes = try c.decodeIfPresent(Int.self, forKey: .maxRequestHeadBytes) ?? maxRequestHeadBytes
        requestHeadTimeout = try c.decodeDurationIfPresent(forKey: .requestHeadTimeout) ?? requestHeadTimeout
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        authentication = try c.decodeIfPresent(ScrapeAuthentication.self, forKey: .auth)
        tls = try c.decodeIfPresent(PrometheusTLSConfiguration.self, forKey: .tls)
    }

    /// Writes the settings as the file spells them, secrets masked.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(host, forKey: .host)
        try c.encode(port, forKey: .port)
        try c.encode(path, forKey: .path)
        try c.encode(enableGzip, forKey: .gzip)
        try c.encodeDuration(idleTimeout, forKey: .idleTimeout)
        try c.encode(maxRequestHeadBytes, forKey: .maxRequestHeadBytes)
        try c.encodeDuration(requestHeadTimeout, forKey: .requestHeadTimeout)
        try c.encode(maxConnections, forKey: .maxConnections)
        try c.encodeIfPresent(authentication, forKey: .auth)
        try c.encodeIfPresent(tls, forKey: .tls)
    }

    /// Accepted values of `idle_timeout` and `request_head_timeout`: 100 ms to 1 hour (a
    /// shorter one closes a scraper's connection before its request can arrive).
    public static let timeoutLimits: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3600)

    /// Every problem of the settings, keyed by the file's names (`port`, `auth.token`,
    /// `tls.key_file`); empty when valid. Cost: a few comparisons; with `tls`, reading and
    /// checking its files.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if host.isEmpty {
            issues.append(ConfigurationIssue(["host"], "must not be empty"))
        } else if let reason = ConfigurationText.hostProblem(host) {
            issues.append(ConfigurationIssue(["host"], "\(ConfigurationText.quotedForMessage(host)) \(reason)"))
        }
        if !Self.portLimits.contains(port) {
            issues.append(ConfigurationIssue(["port"], "\(port) is not between \(Self.portLimits.lowerBound) and \(Self.portLimits.upperBound)"))
        }
        if !path.hasPrefix("/") { issues.append(ConfigurationIssue(["path"], "\(ConfigurationText.quotedForMessage(path)) must start with /")) }
        if path == "/health" { issues.append(ConfigurationIssue(["path"], "/health is reserved for the health check")) }
        if !Self.requestHeadLimits.contains(maxRequestHeadBytes) {
            let l = Self.requestHeadLimits
            issues.append(ConfigurationIssue(["max_request_head_bytes"], "\(maxRequestHeadBytes) is out of range \(l.lowerBound)…\(l.upperBound)"))
        }
        if let issue = ConfigurationIssue.outOfRange(["idle_timeout"], idleTimeout, limits: Self.timeoutLimits) { issues.append(issue) }
        if let issue = ConfigurationIssue.outOfRange(["request_head_timeout"], requestHeadTimeout, limits: Self.timeoutLimits) { issues.append(issue) }
        if !Self.connectionLimits.contains(maxConnections) {
            let l = Self.connectionLimits
            issues.append(ConfigurationIssue(["max_connections"], "\(maxConnections) is out of range \(l.lowerBound)…\(l.upperBound)"))
        }
        switch authentication {
        case .bearer(let token) where token.isEmpty:
            issues.append(ConfigurationIssue(["auth", "token"], "must not be empty"))
        case .basic(let user, _) where user.isEmpty || user.contains(":"):
            issues.append(ConfigurationIssue(["auth", "username"], "must be non-empty and contain no ':'"))
        default: break
        }
        issues += (tls?.validate() ?? []).map { $0.prefixed(by: ["tls"]) }
        return issues
    }
}

extension ScrapeAuthentication: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, token
        case tokenFile = "token_file"
        case username, password
        case passwordFile = "password_file"
    }

    enum Kind: ConfigurationChoice {
        case bearer, basic
        static var spellings: [(name: String, value: Kind)] { [("bearer", .bearer), ("basic", .basic)] }
    }

    /// Decodes `auth:`: `type` (`bearer`, or `basic` when a `username` is given), then the token
    /// or the username and password, inline or read from a file (trailing line breaks removed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Every key is read before deciding, so each one's own problem is reported.
        let type = try c.decodeChoiceIfPresent(Kind.self, forKey: .type)
        let token = try c.decodeIfPresent(String.self, forKey: .token)
        let tokenFile = try c.decodeIfPresent(String.self, forKey: .tokenFile)
        let username = try c.decodeIfPresent(String.self, forKey: .username)
        let password = try c.decodeIfPresent(String.self, forKey: .password)
        let passwordFile = try c.decodeIfPresent(String.self, forKey: .passwordFile)

        func secret(_ inline: String?, _ file: String?, _ fileKey: CodingKeys) throws -> String? {
            if let inline, !inline.isEmpty { return inline }
            guard let file else { return inline }
            switch ConfigurationFile.readSecret(file) {
            case .success(let value): return value
            case .failure(let problem):
                throw DecodingError.dataCorruptedError(forKey: fileKey, in: c,
                                                       debugDescription: "\(ConfigurationText.quotedForMessage(file)) \(problem)")
            }
        }
        switch type ?? (username != nil ? .basic : .bearer) {
        case .bearer:
            guard let token = try secret(token, tokenFile, .tokenFile) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bearer auth needs token or token_file"))
            }
            self = .bearer(token: token)
        case .basic:
            let password = try secret(password, passwordFile, .passwordFile)
            guard let username, let password else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "basic auth needs username and password or password_file"))
            }
            self = .basic(username: username, password: password)
        }
    }

    /// Writes `type`, the user name, and the token or password: as `***` in the printed
    /// configuration (``Swift/Encoder/masksSecrets``), as they are otherwise.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .bearer(let token):
            try c.encodeChoice(Kind.bearer, forKey: .type)
            try c.encode(encoder.printable(secret: token), forKey: .token)
        case .basic(let username, let password):
            try c.encodeChoice(Kind.basic, forKey: .type)
            try c.encode(username, forKey: .username)
            try c.encode(encoder.printable(secret: password), forKey: .password)
        }
    }
}
