/// How `/metrics` is protected.
public enum ScrapeAuthentication: Sendable, Hashable {
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: String)
}

/// Settings of the embedded `/metrics` endpoint.
public struct PrometheusExporterConfiguration: Sendable, Hashable {
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

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 9091, path: String = "/metrics",
                authentication: ScrapeAuthentication? = nil, enableGzip: Bool = true,
                maxRequestHeadBytes: Int = 16 * 1024, idleTimeout: Duration = .seconds(60)) {
        self.host = host
        self.port = port
        self.path = path
        self.authentication = authentication
        self.enableGzip = enableGzip
        self.maxRequestHeadBytes = maxRequestHeadBytes
        self.idleTimeout = idleTimeout
    }

    /// Problems with the settings, each naming the field; empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        if host.isEmpty { problems.append("host: must not be empty") }
        if !(0...65535).contains(port) { problems.append("port: \(port) is not between 0 and 65535") }
        if !path.hasPrefix("/") { problems.append("path: \"\(path)\" must start with /") }
        if path == "/health" { problems.append("path: /health is reserved for the health check") }
        if maxRequestHeadBytes < 1024 { problems.append("max_request_head_bytes: \(maxRequestHeadBytes) is below 1024") }
        if idleTimeout <= .zero { problems.append("idle_timeout: must be positive") }
        switch authentication {
        case .bearer(let token) where token.isEmpty: problems.append("auth.token: must not be empty")
        case .basic(let user, _) where user.isEmpty || user.contains(":"):
            problems.append("auth.username: must be non-empty and contain no ':'")
        default: break
        }
        return problems
    }
}
