/// A body that is not a Prometheus text exposition (format 0.0.4).
public struct ExpositionParseError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The 1-based line number of the first offending line.
    public var line: Int
    /// What was wrong there.
    public var reason: String

    /// Creates the error.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String {
        "not a Prometheus text exposition: line \(line): \(reason)"
    }
}
