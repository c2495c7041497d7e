/// The kind of a metric family.
public enum MetricType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A monotonically increasing total; reset only when the process restarts.
    case counter
    /// A value that can go up and down.
    case gauge
    /// Observations counted into explicit buckets, with sum, count, min and max.
    case histogram
}
