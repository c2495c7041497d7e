/// The two text formats the parser reads.
package enum ExpositionDialect: String, Sendable, Hashable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    case prometheusText = "Prometheus text 0.0.4"
    /// OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`).
    case openMetrics = "OpenMetrics 1.0"

    /// The dialect a `Content-Type` header names, or `nil` when it names neither (or is absent).
    package init?(contentType: String?) {
        guard let contentType else { return nil }
        let media = contentType.split(separator: ";").first.map { $0.trimmingBlanks.lowercased() } ?? ""
        switch media {
        case "application/openmetrics-text": self = .openMetrics
        case "text/plain": self = .prometheusText
        default: return nil
        }
    }
}

/// The type of a metric family, as its `# TYPE` line says (or `unknown`/`untyped` without one).
package enum ExpositionMetricType: String, Sendable, Hashable, CaseIterable {
    /// A monotonic total (`_total` in OpenMetrics; `_created` optional).
    case counter
    /// A current value.
    case gauge
    /// Cumulative `_bucket`s ending at `+Inf`, `_count` and `_sum` (and `_created` in OpenMetrics).
    case histogram
    /// Quantiles (`quantile` label), `_count` and `_sum`.
    case summary
    /// 0.0.4 only: a family declared `untyped` or without a `# TYPE` line.
    case untyped
    /// OpenMetrics only: buckets of a current distribution, `_gcount` and `_gsum`.
    case gaugehistogram
    /// OpenMetrics only: one sample per state, labelled with the family name, valued 0 or 1.
    case stateset
    /// OpenMetrics only: `_info` samples valued 1 whose labels are the information.
    case info
    /// OpenMetrics only: a family declared `unknown` or without a `# TYPE` line.
    case unknown

    /// Whether `dialect` has this type.
    func exists(in dialect: ExpositionDialect) -> Bool {
        switch self {
        case .counter, .gauge, .histogram, .summary: true
        case .untyped: dialect == .prometheusText
        case .gaugehistogram, .stateset, .info, .unknown: dialect == .openMetrics
        }
    }

    /// The suffixes a sample of a family of this type may add to the family name.
    func sampleSuffixes(in dialect: ExpositionDialect) -> [String] {
        switch (self, dialect) {
        case (.counter, .openMetrics): ["_total", "_created"]
        case (.histogram, .openMetrics): ["_bucket", "_count", "_sum", "_created"]
        case (.histogram, .prometheusText): ["_bucket", "_count", "_sum"]
        case (.summary, .openMetrics): ["", "_count", "_sum", "_created"]
        case (.summary, .prometheusText): ["", "_count", "_sum"]
        case (.gaugehistogram, _): ["_bucket", "_gcount", "_gsum"]
        case (.info, _): ["_info"]
        default: [""]
        }
    }
}

/// An OpenMetrics exemplar: ` # {trace_id="…"} 0.042 1.7e9` after a sample.
package struct ExpositionExemplar: Sendable, Hashable {
    /// The exemplar's labels, unescaped.
    package var labels: [String: String]
    /// The exemplar's value.
    package var value: Double
    /// The exemplar's timestamp in seconds, when written.
    package var timestamp: Double?

    /// Creates an exemplar.
    package init(labels: [String: String], value: Double, timestamp: Double? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// One sample line of an exposition: a name, its labels, a value, and optionally a timestamp and an exemplar.
package struct ExpositionSample: Sendable, Hashable {
    /// The sample's metric name (suffixes such as `_bucket`, `_total` or `_created` included).
    package var name: String
    /// Label names to values, unescaped.
    package var labels: [String: String]
    /// The value, exactly as the text spells it (`+Inf`, `-Inf`, `NaN` and `-0` included).
    package var value: Double
    /// The timestamp in milliseconds: as written in 0.0.4; OpenMetrics seconds times 1000, rounded.
    package var timestamp: Int64?
    /// The OpenMetrics exemplar, if the line has one.
    package var exemplar: ExpositionExemplar?

    /// Creates a sample.
    package init(name: String, labels: [String: String] = [:], value: Double, timestamp: Int64? = nil,
                 exemplar: ExpositionExemplar? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.exemplar = exemplar
    }
}

/// A metric family: its metadata and its samples in document order.
package struct ExpositionFamily: Sendable {
    /// The family name (as on the `# TYPE` line; the sample name for a family without metadata).
    package var name: String
    /// The type: declared, or `untyped` (0.0.4) / `unknown` (OpenMetrics) without a `# TYPE` line.
    package var type: ExpositionMetricType
    /// Whether a `# TYPE` line declared the type.
    package var typeDeclared: Bool
    /// `# HELP`, unescaped.
    package var help: String?
    /// `# UNIT` (OpenMetrics).
    package var unit: String?
    /// The samples, in document order.
    package var samples: [ExpositionSample]

    /// Creates a family.
    package init(name: String, type: ExpositionMetricType, typeDeclared: Bool = true, help: String? = nil,
                 unit: String? = nil, samples: [ExpositionSample] = []) {
        self.name = name
        self.type = type
        self.typeDeclared = typeDeclared
        self.help = help
        self.unit = unit
        self.samples = samples
    }
}

/// A parsed text exposition: the format it was read as and its families in document order.
package struct Exposition: Sendable {
    /// The format the text was read as.
    package var dialect: ExpositionDialect
    /// The families in document order.
    package var families: [ExpositionFamily]

    /// Creates an exposition.
    package init(dialect: ExpositionDialect = .prometheusText, families: [ExpositionFamily] = []) {
        self.dialect = dialect
        self.families = families
    }

    /// The declared `# TYPE` per family name (counter, gauge, histogram, …).
    package var types: [String: String] {
        Dictionary(families.filter(\.typeDeclared).map { ($0.name, $0.type.rawValue) }, uniquingKeysWith: { a, _ in a })
    }

    /// `# HELP` per family name, unescaped.
    package var help: [String: String] {
        Dictionary(families.compactMap { f in f.help.map { (f.name, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// All samples in document order.
    package var samples: [ExpositionSample] { families.flatMap(\.samples) }

    /// The samples named exactly `name`. Cost: a linear scan.
    package func samples(named name: String) -> [ExpositionSample] {
        samples.filter { $0.name == name }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
