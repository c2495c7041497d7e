/// One sample line of a Prometheus text exposition: a name, its labels and a value.
public struct ExpositionSample: Sendable, Hashable {
    /// The sample's metric name (for histograms `_bucket`, `_sum` or `_count` included).
    public var name: String
    /// Label names to values, unescaped.
    public var labels: [String: String]
    /// The value; may be `+Inf`, `-Inf` or `NaN`.
    public var value: Double
    /// The optional timestamp in milliseconds.
    public var timestamp: Int64?

    /// Creates a sample.
    public init(name: String, labels: [String: String] = [:], value: Double, timestamp: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// A parsed Prometheus text exposition (format 0.0.4): metadata per family and every sample in order.
public struct Exposition: Sendable {
    /// `# TYPE` per family name (counter, gauge, histogram, summary, untyped).
    public var types: [String: String]
    /// `# HELP` per family name, unescaped.
    public var help: [String: String]
    /// All samples in document order.
    public var samples: [ExpositionSample]

    /// Creates an exposition.
    public init(types: [String: String] = [:], help: [String: String] = [:], samples: [ExpositionSample] = []) {
        self.types = types
        self.help = help
        self.samples = samples
    }

    /// The samples named exactly `name`. Cost: a linear scan.
    public func samples(named name: String) -> [ExpositionSample] {
        samples.filter { $0.name == name }
    }
}
