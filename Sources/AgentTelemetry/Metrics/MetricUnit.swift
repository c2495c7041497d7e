import Synchronization

/// The unit of a metric: how it is spelled in a Prometheus name suffix and in OTLP (UCUM).
public struct MetricUnit: Sendable, Hashable, Codable {
    /// The UCUM form OTLP carries in `Metric.unit` (`s`, `By`, `{token}`, `1`).
    public let ucum: String
    /// The suffix Prometheus names end with for this unit (`seconds`, `bytes`, `ratio`), if any.
    public let prometheusSuffix: String?

    /// Creates a unit.
    public init(ucum: String, prometheusSuffix: String?) {
        self.ucum = ucum
        self.prometheusSuffix = prometheusSuffix
    }

    /// Seconds (`s`, Prometheus `_seconds`).
    public static let seconds = MetricUnit(ucum: "s", prometheusSuffix: "seconds")
    /// Bytes (`By`, Prometheus `_bytes`).
    public static let bytes = MetricUnit(ucum: "By", prometheusSuffix: "bytes")
    /// A dimensionless ratio between 0 and 1 (`1`, Prometheus `_ratio`).
    public static let ratio = MetricUnit(ucum: "1", prometheusSuffix: "ratio")
    /// LLM tokens (`{token}`); annotations add no Prometheus suffix.
    public static let tokens = MetricUnit(ucum: "{token}", prometheusSuffix: nil)
    /// US dollars (`{USD}`, Prometheus `_usd`).
    public static let usd = MetricUnit(ucum: "{USD}", prometheusSuffix: "usd")
    /// A plain count of things (`1`, no suffix).
    public static let count = MetricUnit(ucum: "1", prometheusSuffix: nil)

    /// A count of named things, as the OpenTelemetry conventions write it: a UCUM annotation
    /// (`annotation("call")` is `{call}`), which adds no Prometheus suffix.
    public static func annotation(_ thing: String) -> MetricUnit {
        MetricUnit(ucum: "{" + thing + "}", prometheusSuffix: nil)
    }
}

/// Everything that describes a metric family: its name, type, help, unit and label names.
public final class MetricFamilyInfo: Sendable {
    /// Prometheus name, including unit suffix and `_total` for counters.
    public let name: String
    /// One line of help text.
    public let help: String
    /// Counter, gauge or histogram.
    public let type: MetricType
    /// How a histogram aggregates: classic, native or both (classic for other types).
    public var histogramAggregation: HistogramAggregation {
        guard nativeHistogram != nil else { return .classic }
        return buckets.isEmpty ? .native : .classicAndNative
    }
    /// The unit, if the metric has one.
    public let unit: MetricUnit?
    /// Label names in declaration order (Prometheus spelling).
    public let labelNames: [String]
    /// The OpenTelemetry attribute key of each label, in the order of `labelNames` (OTLP sends
    /// these; each label name is derived from its key, see ``AttributeKey``).
    public let attributeKeys: [String]
    /// Labels (Prometheus spelling) that are left out of every export unless a view opts in
    /// (`opt_in_labels`): attribution that multiplies series, such as `gen_ai_agent_name`.
    public let optInLabelNames: [String]
    /// Bucket upper bounds for histograms (strictly increasing, finite; `+Inf` is implicit); empty
    /// otherwise, and empty for a histogram aggregated `native` (its text exposition is `+Inf` only).
    public let buckets: [Double]
    /// The native (exponential) buckets' settings, for a histogram aggregated `native` or
    /// `classic_and_native`; nil otherwise.
    public let nativeHistogram: NativeHistogramSettings?
    /// The bounds that spread a native-only histogram's exemplars (the buckets it was registered
    /// with); `buckets` otherwise.
    public let exemplarBounds: [Double]
    /// The OTLP name (dots allowed, no unit suffix, no `_total`).
    public let otlpName: String
    /// A slot where an exporter in this package keeps what it renders once per family (the
    /// Prometheus encoder's header and sample-name bytes): the description never changes, so
    /// neither does its rendering. Filled on first use, read with one atomic load.
    package let renderingCache = AtomicLazyReference<CachedRendering>()

    /// Creates family info. Names are not validated here; the registry validates them.
    public init(
        name: String, help: String, type: MetricType, unit: MetricUnit?, labelNames: [String],
        buckets: [Double] = [], otlpName: String? = nil, attributeKeys: [String]? = nil, optInLabelNames: [String] = [],
        nativeHistogram: NativeHistogramSettings? = nil, exemplarBounds: [Double]? = nil
    ) {
        self.name = name
        self.help = help
        self.type = type
        self.unit = unit
        self.labelNames = labelNames
        // Keys must pair with names; a mismatched list falls back to the names themselves.
        self.attributeKeys = attributeKeys.flatMap { $0.count == labelNames.count ? $0 : nil } ?? labelNames
        self.optInLabelNames = optInLabelNames
        self.buckets = buckets
        self.nativeHistogram = type == .histogram ? nativeHistogram : nil
        self.exemplarBounds = exemplarBounds ?? buckets
        self.otlpName = otlpName ?? MetricFamilyInfo.deriveOTLPName(name, type: type, unit: unit)
    }

    /// The name without the Prometheus-only suffixes (`_total` for counters, the unit suffix).
    public static func deriveOTLPName(_ name: String, type: MetricType, unit: MetricUnit?) -> String {
        var base = name
        if type == .counter, base.hasSuffix("_total") { base.removeLast(6) }
        if let suffix = unit?.prometheusSuffix, base.hasSuffix("_" + suffix) {
            base.removeLast(suffix.utf8.count + 1)
        }
        return base
    }
}

/// What an exporter keeps in `MetricFamilyInfo.renderingCache`: any Sendable value, boxed.
package final class CachedRendering: Sendable {
    /// The exporter's rendering (the reader casts it back to its own type).
    package let value: any Sendable
    /// Boxes `value`.
    package init(_ value: any Sendable) { self.value = value }
}
