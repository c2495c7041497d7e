/// One sample line of a Prometheus text exposition: a name, its labels and a value.
package struct ExpositionSample: Sendable, Hashable {
    /// The sample's metric name (for histograms `_bucket`, `_sum` or `_count` included).
    package var name: String
    /// Label names to values, unescaped.
    package var labels: [String: String]
    /// The value; may be `+Inf`, `-Inf` or `NaN`.
    package var value: Double
    /// The optional timestamp in milliseconds.
    package var timestamp: Int64?

    /// Creates a sample.
    package init(name: String, labels: [String: String] = [:], value: Double, timestamp: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// A parsed Prometheus text exposition (format 0.0.4): metadata per family and every sample in order.
package struct Exposition: Sendable {
    /// `# TYPE` per family name (counter, gauge, histogram, summary, untyped).
    package var types: [String: String]
    /// `# HELP` per family name, unescaped.
    package var help: [String: String]
    /// All samples in document order.
    package var samples: [ExpositionSample]

    /// Creates an exposition.
    package init(types: [String: String] = [:], help: [String: String] = [:], samples: [ExpositionSample] = []) {
        self.types = types
        self.help = help
        self.samples = samples
    }

    /// The samples named exactly `name`. Cost: a linear scan.
    package func samples(named name: String) -> [ExpositionSample] {
        samples.filter { $0.name == name }
    }
}
