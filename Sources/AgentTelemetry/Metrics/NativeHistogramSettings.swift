/// How a histogram family aggregates its observations, chosen per metric by a view
/// (`aggregation:`) or for every histogram by `metrics.histograms.aggregation`.
public enum HistogramAggregation: String, Sendable, Hashable, CaseIterable {
    /// Explicit buckets (`le` bounds) only: what every exporter understands.
    case classic
    /// Exponential (Prometheus native, OTLP `ExponentialHistogram`) buckets only. The text
    /// formats then carry only `+Inf`, `_sum` and `_count`, as client_golang writes them.
    case native
    /// Both at once, for a migration: a Prometheus scraping protobuf with native histograms
    /// enabled reads the native buckets, any other scraper the classic ones. OTLP sends the
    /// exponential histogram (a metric has one data type there).
    case classicAndNative = "classic_and_native"

    /// Whether classic `le` buckets are exported.
    public var hasClassicBuckets: Bool { self != .native }
    /// Whether exponential buckets are kept and exported.
    public var hasNativeBuckets: Bool { self != .classic }
}

/// The shape of a native (exponential, base-2) histogram series: its starting resolution, the
/// most buckets it may hold, and the width of its zero bucket.
///
/// A bucket of schema `s` spans a factor of `2^(2^-s)`: schema 8 is 256 buckets per doubling
/// (relative width 0.27 %), schema 3 is 8 per doubling (9 %), schema 0 one per doubling. A series
/// starts at `schema` and, when an observation would make it hold more than `maxBuckets` buckets
/// (positive and negative together), halves its resolution (merging neighbouring buckets) as
/// often as needed; at the coarsest schema (-4) it widens the zero bucket instead. So its memory
/// is bounded by `maxBuckets` counts whatever values it sees. The OpenTelemetry scale is the same
/// number.
public struct NativeHistogramSettings: Sendable, Hashable {
    /// The starting (finest) schema, in `schemas`.
    public var schema: Int
    /// The most buckets a series holds, positive and negative together, in `maxBucketsRange`.
    public var maxBuckets: Int
    /// Observations with an absolute value at most this go to the zero bucket. Positive, so that
    /// Prometheus recognises a native histogram even before its first observation.
    public var zeroThreshold: Double

    /// Schema 8, at most 160 buckets (the OpenTelemetry SDKs' default size), zero threshold
    /// 2^-128 (client_golang's default).
    public static let `default` = NativeHistogramSettings()

    /// Schemas Prometheus accepts (and OpenTelemetry scales that map onto them).
    public static let schemas: ClosedRange<Int> = -4...8
    /// Accepted values of `maxBuckets`: at least 4 (two per sign), at most 32,768.
    public static let maxBucketsRange: ClosedRange<Int> = 4...32_768
    /// client_golang's default zero threshold, 2^-128.
    public static let defaultZeroThreshold = 0x1p-128

    /// Creates settings.
    public init(schema: Int = 8, maxBuckets: Int = 160, zeroThreshold: Double = NativeHistogramSettings.defaultZeroThreshold) {
        self.schema = schema
        self.maxBuckets = maxBuckets
        self.zeroThreshold = zeroThreshold
    }

    /// What is wrong with these settings, or nil.
    public var problem: String? {
        if !Self.schemas.contains(schema) {
            return "schema \(schema) is out of range \(Self.schemas.lowerBound)…\(Self.schemas.upperBound)"
        }
        if !Self.maxBucketsRange.contains(maxBuckets) {
            return "max_buckets \(maxBuckets) is out of range \(Self.maxBucketsRange.lowerBound)…\(Self.maxBucketsRange.upperBound)"
        }
        if !(zeroThreshold >= 0 && zeroThreshold.isFinite) { return "the zero threshold must be finite and not negative" }
        return nil
    }
}
