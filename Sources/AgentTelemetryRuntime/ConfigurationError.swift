/// One problem found in the configuration, with where it came from.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Dotted key path, e.g. `exporters.prometheus.port`; empty for the file as a whole or an
    /// unknown environment variable.
    public var keyPath: String
    /// `file:line`, `environment variable NAME`, or the file when no line applies.
    public var location: String?
    /// What is wrong. Never contains a secret: header values, tokens, passwords and URL
    /// credentials are not repeated, and a YAML syntax error gives only line, column and problem.
    public var message: String

    /// Creates a problem.
    public init(keyPath: String, location: String?, message: String) {
        self.keyPath = keyPath
        self.location = location
        self.message = message
    }

    /// `key.path: message (location)`.
    public var description: String {
        let at = location.map { " (\($0))" } ?? ""
        return keyPath.isEmpty ? "\(message)\(at)" : "\(keyPath): \(message)\(at)"
    }
}

/// The configuration cannot be used; lists every problem found.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The problems: those of the file in line order, then those of the environment.
    public var problems: [ConfigurationProblem]

    /// Wraps problems.
    public init(problems: [ConfigurationProblem]) { self.problems = problems }

    /// `invalid configuration:` and one indented line per problem.
    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
