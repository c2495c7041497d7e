/// The state of a histogram series at one moment.
public struct HistogramValue: Sendable, Hashable {
    /// Bucket upper bounds (without `+Inf`).
    public var bounds: [Double]
    /// Per-bucket (non-cumulative) counts; one more entry than `bounds`, the last for `+Inf`.
    public var bucketCounts: [UInt64]
    /// Sum of all observations.
    public var sum: Double
    /// Number of observations.
    public var count: UInt64
    /// Smallest observation (`+Inf` when there are none).
    public var min: Double
    /// Largest observation (`-Inf` when there are none).
    public var max: Double
    /// The exponential buckets, for a family aggregated `native` or `classic_and_native`.
    public var native: NativeHistogramValue?

    /// Creates a value.
    public init(bounds: [Double], bucketCounts: [UInt64], sum: Double, count: UInt64, min: Double, max: Double,
                native: NativeHistogramValue? = nil) {
        self.bounds = bounds
        self.bucketCounts = bucketCounts
        self.sum = sum
        self.count = count
        self.min = min
        self.max = max
        self.native = native
    }

    /// Cumulative counts, as Prometheus `_bucket{le=...}` reports them; the last equals `count`.
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return bucketCounts.map { running &+= $0; return running }
    }
}

/// The value of one series at one moment.
public enum SeriesValue: Sendable, Hashable {
    /// A counter total.
    case counter(Double)
    /// A gauge value.
    case gauge(Double)
    /// A histogram state. Boxed: a `HistogramValue` with its native buckets is about 120 bytes,
    /// and held inline it set the size of every counter's and gauge's value too (snapshots and
    /// OTLP data points carry values by the hundred thousand).
    indirect case histogram(HistogramValue)
}

/// One series in a snapshot.
public struct SeriesSnapshot: Sendable {
    /// Process-unique, stable id of the series.
    public var id: UInt64
    /// The series' labels.
    public var labels: LabelSet
    /// Its value.
    public var value: SeriesValue
    /// When the series was created (start of cumulative data), nanoseconds since the epoch.
    public var startNanoseconds: UInt64
    /// The latest exemplars: one slot for a counter, one per bucket (the last for `+Inf`) for a
    /// histogram, nil where there is none; empty when the series has none.
    public var exemplars: [Exemplar?]
    /// For a native histogram read by `snapshot(takingNativeIntervals: true)`: the observations
    /// since the previous such read (nil on the first); see `HistogramSeries.takeNativeInterval()`.
    public var nativeInterval: HistogramValue? {
        get { if case .some(.value(let v)) = interval { v } else { nil } }
        set { interval = newValue.map(Boxed.value) }
    }
    /// `nativeInterval`, boxed for the same reason as `SeriesValue.histogram`: rare, and large.
    private var interval: Boxed?
    private indirect enum Boxed: Sendable { case value(HistogramValue) }

    /// Creates a series snapshot.
    public init(id: UInt64, labels: LabelSet, value: SeriesValue, startNanoseconds: UInt64, exemplars: [Exemplar?] = []) {
        self.id = id
        self.labels = labels
        self.value = value
        self.startNanoseconds = startNanoseconds
        self.exemplars = exemplars
    }
}

/// One family in a snapshot.
public struct FamilySnapshot: Sendable {
    /// Name, help, type, unit, labels.
    public var info: MetricFamilyInfo
    /// Series in creation order (stable between snapshots).
    public var series: [SeriesSnapshot]

    /// Creates a family snapshot.
    public init(info: MetricFamilyInfo, series: [SeriesSnapshot]) {
        self.info = info
        self.series = series
    }
}

/// A consistent read model of a registry that every exporter consumes.
///
/// Families are sorted by name; series keep creation order. Each series value is read
/// atomically (a histogram's buckets, sum and count agree with each other).
public struct MetricsSnapshot: Sendable {
    /// When the snapshot was taken, nanoseconds since the epoch.
    public var timestampNanoseconds: UInt64
    /// The families, sorted by name.
    public var families: [FamilySnapshot]
    /// Labels every series carries (the registry's common labels), sorted by name: Prometheus
    /// writes them on every line, OTLP as resource attributes, StatsD as constant tags.
    public var commonLabels: LabelSet

    /// Creates a snapshot.
    public init(timestampNanoseconds: UInt64, families: [FamilySnapshot], commonLabels: LabelSet = .empty) {
        self.timestampNanoseconds = timestampNanoseconds
        self.families = families
        self.commonLabels = commonLabels
    }

    /// The family named `name`, if present.
    public func family(named name: String) -> FamilySnapshot? {
        families.first { $0.info.name == name }
    }

    /// Total number of series.
    public var seriesCount: Int { families.reduce(0) { $0 + $1.series.count } }
}
