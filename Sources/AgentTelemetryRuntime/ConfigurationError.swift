/// One problem found in the configuration, with where it came from.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Dotted key path, e.g. `exporters.prometheus.port`.
    public var keyPath: String
    /// The file and line, or the environment variable, the value came from.
    public var location: String?
    /// What is wrong.
    public var message: String

    public var description: String {
        let at = location.map { " (\($0))" } ?? ""
        return keyPath.isEmpty ? "\(message)\(at)" : "\(keyPath): \(message)\(at)"
    }
}

/// The configuration cannot be used; lists every problem found.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [ConfigurationProblem]

    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
