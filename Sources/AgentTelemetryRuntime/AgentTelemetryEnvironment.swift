import AgentTelemetry

/// The one rule for `AGENT_TELEMETRY_*` variables: every scalar key of the configuration has a
/// variable named `AGENT_TELEMETRY_` + its key path without a leading `exporters`, joined by `_`,
/// upper-cased (`exporters.prometheus.port` → `AGENT_TELEMETRY_PROMETHEUS_PORT`,
/// `bus.capacity` → `AGENT_TELEMETRY_BUS_CAPACITY`, `shutdown_timeout` →
/// `AGENT_TELEMETRY_SHUTDOWN_TIMEOUT`).
///
/// The set of variables is derived from the model by a probe decode that opens every section and
/// notes every scalar key, so a new key gets its variable with no list to update. Keys inside
/// user-named mappings (`service.attributes`, `metrics.prices`, `exporters.otlp.headers`) have none.
public enum AgentTelemetryEnvironment {
    /// The prefix of every variable.
    public static let prefix = "AGENT_TELEMETRY_"

    /// Variables with the prefix that are not configuration keys: `AGENT_TELEMETRY_CONFIG` (the
    /// configuration file of the CLI and examples) and `AGENT_TELEMETRY_UPDATE_DOCS` (the docs
    /// generator of the tests).
    public static let reservedNames: Set<String> = ["AGENT_TELEMETRY_CONFIG", "AGENT_TELEMETRY_UPDATE_DOCS"]

    /// The variable of the key at `path`.
    public static func variableName(for path: [String]) -> String {
        let trimmed = path.first == "exporters" ? Array(path.dropFirst()) : path
        return prefix + trimmed.joined(separator: "_").uppercased()
    }

    /// Every variable of the built-in sections, mapped to the key path it sets. Computed once, by
    /// the probe decode.
    public static let variables: [String: [String]] = variables(for: .builtIn)

    /// Every variable of the sections of `plugins` (a plug-in's section included:
    /// `exporters.influxdb.url` → `AGENT_TELEMETRY_INFLUXDB_URL`), mapped to the key path it
    /// sets. Cost: one probe decode of the model.
    public static func variables(for plugins: TelemetryPlugins) -> [String: [String]] {
        let probe = ConfigurationDecoding(root: nil, overrides: ConfigurationOverrides(), probing: true, plugins: plugins)
        _ = probe.decodeRoot(ConfigurationModel.self)
        var result: [String: [String]] = [:]
        for path in probe.probedScalars { result[variableName(for: path)] = path }
        return result
    }

    /// The values the environment sets, and one issue per unknown `AGENT_TELEMETRY_*` variable
    /// (with the closest known name). Cost: one pass over the environment.
    static func read(_ environment: [String: String], plugins: TelemetryPlugins = .builtIn) -> (ConfigurationOverrides, [LocatedIssue]) {
        var overrides = ConfigurationOverrides()
        var issues: [LocatedIssue] = []
        let known = plugins.signature == TelemetryPlugins.builtIn.signature ? variables : variables(for: plugins)
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(prefix) && !reservedNames.contains(name) {
            if let path = known[name] {
                overrides.set(path, value, from: name)
            } else {
                var message = "unknown environment variable \(name)"
                if let s = ConfigurationText.closest(to: name, among: known.keys) { message += "; did you mean \(s)?" }
                issues.append(LocatedIssue(path: [], message: message, origin: .none))
            }
        }
        return (overrides, issues)
    }
}
