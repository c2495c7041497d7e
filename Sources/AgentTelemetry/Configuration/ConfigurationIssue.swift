/// One problem found in a configuration, located by the key path of the setting it concerns.
///
/// Key paths are the snake_case keys of the YAML file, relative to the section that validated
/// them (`["port"]` from an exporter's `validate()`); the runtime prefixes the section's own path
/// (`exporters.prometheus.port`) and adds the file line or environment variable it came from.
public struct ConfigurationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Keys from the section root to the setting, e.g. `["auth", "token"]`. Empty for the section itself.
    public var keyPath: [String]
    /// What is wrong and, where it helps, what is accepted. Never contains a secret value.
    public var message: String

    /// Creates an issue.
    public init(_ keyPath: [String], _ message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    /// The same issue under `prefix` (a section's own key path).
    public func prefixed(by prefix: [String]) -> ConfigurationIssue {
        ConfigurationIssue(prefix + keyPath, message)
    }

    /// `key.path: message`.
    public var description: String {
        keyPath.isEmpty ? message : keyPath.joined(separator: ".") + ": " + message
    }
}

/// Issues that made a part refuse its configuration, thrown where a part cannot start.
public struct ConfigurationIssues: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem found, in the order checked.
    public var issues: [ConfigurationIssue]

    /// Wraps issues.
    public init(_ issues: [ConfigurationIssue]) { self.issues = issues }

    /// One line per issue.
    public var description: String { issues.map(\.description).joined(separator: "; ") }
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
