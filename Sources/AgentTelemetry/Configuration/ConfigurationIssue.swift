/// One problem found in a configuration, located by the key path of the setting it concerns.
///
/// Key paths are the snake_case keys of the YAML file, relative to the section that validated
/// them (`["port"]` from an exporter's `validate()`); the runtime prefixes the section's own path
/// (`exporters.prometheus.port`) and adds the file line or environment variable it came from
/// (`location`). Thrown together as ``ConfigurationIssues``, the one error type for configuration
/// problems, by a part that refuses its settings and by the configuration loader alike.
public struct ConfigurationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Keys from the section root to the setting, e.g. `["auth", "token"]`. Empty for the section itself.
    public var keyPath: [String]
    /// What is wrong and, where it helps, what is accepted. Never contains a secret value: header
    /// values, tokens, passwords and URL credentials are not repeated, and a YAML syntax error
    /// gives only line, column and problem.
    public var message: String
    /// Where the setting came from: `file:line`, `environment variable NAME`, or the file when no
    /// line applies; nil where no file was read (a section validated in code).
    public var location: String?

    /// Creates an issue.
    public init(_ keyPath: [String], _ message: String, location: String? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.location = location
    }

    /// The same issue under `prefix` (a section's own key path).
    public func prefixed(by prefix: [String]) -> ConfigurationIssue {
        ConfigurationIssue(prefix + keyPath, message, location: location)
    }

    /// `key.path: message (location)`.
    public var description: String {
        let at = location.map { " (\($0))" } ?? ""
        return keyPath.isEmpty ? message + at : keyPath.joined(separator: ".") + ": " + message + at
    }
}

/// The configuration cannot be used: every problem found, thrown where a part cannot start (an
/// exporter's initialiser) and by the configuration loader (then in file line order, then those of
/// the environment, each with its location). The one public error type for configuration problems.
public struct ConfigurationIssues: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem found, in the order checked.
    public var issues: [ConfigurationIssue]

    /// Wraps issues.
    public init(_ issues: [ConfigurationIssue]) { self.issues = issues }

    /// `invalid configuration:` and one indented line per issue.
    public var description: String {
        "invalid configuration:\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// A configuration section: decodable from the YAML file (snake_case keys, every key optional,
/// defaults for what is absent) and able to report every problem of its values at once.
///
/// Each type states each limit once, in `validate()`; the YAML loader, the environment overrides
/// and `check-config` all go through it.
public protocol TelemetryConfigurationSection: Decodable, Sendable {
    /// Every problem of these settings, with key paths relative to the section; empty when valid.
    /// Cost: comparisons and, where a setting names a file, one `stat` or read.
    func validate() -> [ConfigurationIssue]
}

extension ConfigurationIssue {
    /// An issue when `value` lies outside `limits`, naming the limit it breaks
    /// (`interval: 1ns is below the minimum of 1s`); nil when it lies inside.
    public static func outOfRange(_ keyPath: [String], _ value: Duration, limits: ClosedRange<Duration>) -> ConfigurationIssue? {
        if value < limits.lowerBound {
            return ConfigurationIssue(keyPath, "\(ConfigDuration(value)) is below the minimum of \(ConfigDuration(limits.lowerBound))")
        }
        if value > limits.upperBound {
            return ConfigurationIssue(keyPath, "\(ConfigDuration(value)) is above the maximum of \(ConfigDuration(limits.upperBound))")
        }
        return nil
    }
}
