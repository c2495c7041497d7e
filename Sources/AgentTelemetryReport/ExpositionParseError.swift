/// A body that is not a Prometheus text exposition (format 0.0.4).
package struct ExpositionParseError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The 1-based line number of the first offending line.
    package var line: Int
    /// What was wrong there.
    package var reason: String

    /// Creates the error.
    package init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    package var description: String {
        "not a Prometheus text exposition: line \(line): \(reason)"
    }
}
