import AgentTelemetry

/// Settings of the textfile writer (node_exporter's textfile collector output):
/// `exporters.prometheus.textfile` in the configuration file (`path`, `interval`).
public struct PrometheusTextfileConfiguration: TelemetryConfigurationSection, Encodable, Hashable {
    /// Target path (should end in `.prom` for node_exporter).
    public var path: String
    /// Time between writes (default 15 s).
    public var interval: Duration

    /// Accepted values of `interval`: 1 s to 1 day (1 ms kept 60 % of a core busy rewriting
    /// the file; node_exporter reads it on its own scrape interval anyway).
    public static let intervalLimits: ClosedRange<Duration> = .seconds(1) ... .seconds(86_400)

    /// Creates a configuration.
    public init(path: String, interval: Duration = .seconds(15)) {
        self.path = path
        self.interval = interval
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case path, interval
    }

    /// Decodes the section; `path` has no default (``validate()`` reports it missing).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(path: try c.decodeIfPresent(String.self, forKey: .path) ?? "")
        interval = try c.decodeDurationIfPresent(forKey: .interval) ?? interval
    }

    /// Writes the section as the file spells it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encodeDuration(interval, forKey: .interval)
    }

    /// A path is required and its directory must exist; the interval must be positive.
    /// Cost: one `stat`.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if path.isEmpty {
            issues.append(ConfigurationIssue(["path"], "is required when textfile is configured"))
        } else if let slash = path.lastIndex(of: "/") {
            let directory = slash == path.startIndex ? "/" : String(path[..<slash])
            if !ConfigurationFile.isDirectory(directory) {
                issues.append(ConfigurationIssue(["path"], "directory \(ConfigurationText.quotedForMessage(directory)) does not exist"))
            }
        }
        if let issue = ConfigurationIssue.outOfRange(["interval"], interval, limits: Self.intervalLimits) { issues.append(issue) }
        return issues
    }
}
