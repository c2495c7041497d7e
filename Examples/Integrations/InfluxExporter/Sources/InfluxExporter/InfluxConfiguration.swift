import AgentTelemetry
import Foundation

/// `exporters.influxdb`: where and how often to write.
///
/// Every key is optional; the section is read by AgentTelemetry's configuration decoder, so a
/// misspelt key gets a "did you mean" with its line, and every key has its environment variable
/// (`AGENT_TELEMETRY_INFLUXDB_URL`, `…_DATABASE`, `…_INTERVAL`, `…_TIMEOUT`, `…_USERNAME`, `…_PASSWORD`).
public struct InfluxConfiguration: TelemetryConfigurationSection, Encodable, Equatable {
    /// The server's base URL (`http://host:8086`).
    public var url: String
    /// The database written to (it must exist).
    public var database: String
    /// Time between writes (1 s – 1 d; default 10 s). A write is also made on shutdown.
    public var interval: Duration
    /// Bound of one write request (1 ms – 10 m; default 10 s).
    public var timeout: Duration
    /// HTTP basic authentication, when the server requires it.
    public var username: String?
    /// Printed as `***` by `check-config`.
    public var password: String?

    /// The limits of `interval`.
    public static let intervalLimits: ClosedRange<Duration> = .seconds(1)...(.seconds(86_400))
    /// The limits of `timeout`.
    public static let timeoutLimits: ClosedRange<Duration> = .milliseconds(1)...(.seconds(600))

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, database, interval, timeout, username, password
    }

    /// Settings; the defaults write to `agent` on a local server every 10 s.
    public init(url: String = "http://127.0.0.1:8086", database: String = "agent", interval: Duration = .seconds(10),
                timeout: Duration = .seconds(10), username: String? = nil, password: String? = nil) {
        self.url = url
        self.database = database
        self.interval = interval
        self.timeout = timeout
        self.username = username
        self.password = password
    }

    /// Decodes the section (absent keys keep their defaults).
    public init(from decoder: any Decoder) throws {
        let d = InfluxConfiguration()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url) ?? d.url
        database = try c.decodeIfPresent(String.self, forKey: .database) ?? d.database
        interval = try c.decodeIfPresent(ConfigDuration.self, forKey: .interval)?.duration ?? d.interval
        timeout = try c.decodeIfPresent(ConfigDuration.self, forKey: .timeout)?.duration ?? d.timeout
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
    }

    /// Writes the section; the password as `***` in the printed configuration.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(database, forKey: .database)
        try c.encode(ConfigDuration(interval), forKey: .interval)
        try c.encode(ConfigDuration(timeout), forKey: .timeout)
        try c.encodeIfPresent(username, forKey: .username)
        try c.encodeIfPresent(password.map { encoder.printable(secret: $0) }, forKey: .password)
    }

    /// `url` must be http(s) with a host, `database` not empty, durations inside their limits.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
           let host = u.host, !host.isEmpty {
            // usable
        } else {
            issues.append(ConfigurationIssue(["url"], "must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8086"))
        }
        if database.isEmpty { issues.append(ConfigurationIssue(["database"], "must not be empty")) }
        if let i = ConfigurationIssue.outOfRange(["interval"], interval, limits: Self.intervalLimits) { issues.append(i) }
        if let i = ConfigurationIssue.outOfRange(["timeout"], timeout, limits: Self.timeoutLimits) { issues.append(i) }
        if (username == nil) != (password == nil) {
            issues.append(ConfigurationIssue(["password"], "username and password go together"))
        }
        return issues
    }

    /// `<url>/write?db=<database>&precision=ns`.
    var writeURL: String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        let db = database.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? database
        return base + "/write?db=" + db + "&precision=ns"
    }
}
