#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A run of consecutive exponential buckets of one sign.
///
/// Indices follow OpenTelemetry: at schema `s` (base `b = 2^(2^-s)`) the bucket of index `i`
/// holds absolute values in `(b^i, b^(i+1)]`. Prometheus numbers the same bucket `i + 1`.
public struct NativeBucketRun: Sendable, Hashable {
    /// Index of the first bucket.
    public var offset: Int
    /// Counts of the buckets `offset`, `offset + 1`, …; zeros may occur inside the run, never at
    /// either end.
    public var counts: [UInt64]

    /// An empty run.
    public static let empty = NativeBucketRun(offset: 0, counts: [])

    /// Creates a run.
    public init(offset: Int, counts: [UInt64]) {
        self.offset = offset
        self.counts = counts
    }

    /// Total of the counts.
    public var total: UInt64 { counts.reduce(0, &+) }

    /// The same observations at a schema `by` steps coarser (each step merges pairs of buckets).
    public func downscaled(by steps: Int) -> NativeBucketRun {
        guard steps > 0, !counts.isEmpty else { return self }
        let first = offset >> steps
        let last = (offset + counts.count - 1) >> steps
        var merged = [UInt64](repeating: 0, count: last - first + 1)
        for (k, c) in counts.enumerated() { merged[((offset + k) >> steps) - first] &+= c }
        return NativeBucketRun(offset: first, counts: merged)
    }

    /// `self − base` bucket by bucket (both at the same schema), trimmed; nil when some bucket of
    /// `base` exceeds this one's (a reset).
    public func subtracting(_ base: NativeBucketRun) -> NativeBucketRun? {
        var out = self
        for (k, c) in base.counts.enumerated() where c > 0 {
            let i = base.offset + k - offset
            guard i >= 0, i < out.counts.count, out.counts[i] >= c else { return nil }
            out.counts[i] -= c
        }
        return out.trimmed()
    }

    /// Without zero buckets at either end.
    public func trimmed() -> NativeBucketRun {
        guard let first = counts.firstIndex(where: { $0 != 0 }), let last = counts.lastIndex(where: { $0 != 0 }) else {
            return .empty
        }
        if first == 0 && last == counts.count - 1 { return self }
        return NativeBucketRun(offset: offset + first, counts: Array(counts[first...last]))
    }
}

/// The state of a native (exponential) histogram series at one moment.
public struct NativeHistogramValue: Sendable, Hashable {
    /// The schema (OpenTelemetry scale) of the buckets: `-4...8`.
    public var schema: Int
    /// Absolute values at most this are counted in `zeroCount`.
    public var zeroThreshold: Double
    /// Observations in the zero bucket.
    public var zeroCount: UInt64
    /// Buckets of positive observations.
    public var positive: NativeBucketRun
    /// Buckets of negative observations (by absolute value).
    public var negative: NativeBucketRun

    /// Creates a value.
    public init(schema: Int, zeroThreshold: Double, zeroCount: UInt64, positive: NativeBucketRun, negative: NativeBucketRun) {
        self.schema = schema
        self.zeroThreshold = zeroThreshold
        self.zeroCount = zeroCount
        self.positive = positive
        self.negative = negative
    }

    /// Number of observations: the zero bucket plus every bucket.
    public var count: UInt64 { zeroCount &+ positive.total &+ negative.total }

    /// Number of buckets held (the length of both runs).
    public var bucketCount: Int { positive.counts.count + negative.counts.count }

    /// The same observations at `schema` (coarser or equal).
    public func downscaled(to schema: Int) -> NativeHistogramValue {
        let steps = self.schema - schema
        guard steps > 0 else { return self }
        return NativeHistogramValue(schema: schema, zeroThreshold: zeroThreshold, zeroCount: zeroCount,
                                    positive: positive.downscaled(by: steps), negative: negative.downscaled(by: steps))
    }

    /// `self − base`: the observations made since `base` was read, at the coarser of the two
    /// schemas; nil when the series was reset or the zero bucket changed.
    public func subtracting(_ base: NativeHistogramValue) -> NativeHistogramValue? {
        let schema = min(self.schema, base.schema)
        let current = downscaled(to: schema)
        let earlier = base.downscaled(to: schema)
        guard current.zeroThreshold == earlier.zeroThreshold, current.zeroCount >= earlier.zeroCount,
              let positive = current.positive.subtracting(earlier.positive),
              let negative = current.negative.subtracting(earlier.negative) else { return nil }
        return NativeHistogramValue(schema: schema, zeroThreshold: zeroThreshold, zeroCount: current.zeroCount - earlier.zeroCount,
                                    positive: positive, negative: negative)
    }

    /// The observations of both, at the coarser schema, coarsened further (and the zero bucket
    /// taken as the wider of the two) until at most `maxBuckets` buckets remain: what an OTLP
    /// delta export that failed carries into the next one.
    public func merging(_ other: NativeHistogramValue, maxBuckets: Int) -> NativeHistogramValue {
        let threshold = Swift.max(zeroThreshold, other.zeroThreshold)
        var schema = Swift.min(self.schema, other.schema)
        var zero = zeroCount &+ other.zeroCount
        var positive: [Int: UInt64] = [:], negative: [Int: UInt64] = [:]
        for v in [downscaled(to: schema), other.downscaled(to: schema)] {
            for (run, isNegative) in [(v.positive, false), (v.negative, true)] {
                for (k, c) in run.counts.enumerated() where c > 0 {
                    let index = run.offset + k
                    // Buckets wholly inside the wider zero bucket join it.
                    if Self.upperBound(index: index, schema: schema) <= threshold {
                        zero &+= c
                    } else if isNegative {
                        negative[index, default: 0] &+= c
                    } else {
                        positive[index, default: 0] &+= c
                    }
                }
            }
        }
        func span(_ d: [Int: UInt64], _ steps: Int) -> Int {
            guard let lo = d.keys.min(), let hi = d.keys.max() else { return 0 }
            return (hi >> steps) - (lo >> steps) + 1
        }
        var steps = 0
        while span(positive, steps) + span(negative, steps) > maxBuckets && schema - steps > NativeHistogramSettings.schemas.lowerBound {
            steps += 1
        }
        schema -= steps
        func run(_ d: [Int: UInt64]) -> NativeBucketRun {
            guard let lo = d.keys.min(), let hi = d.keys.max() else { return .empty }
            let first = lo >> steps
            var counts = [UInt64](repeating: 0, count: (hi >> steps) - first + 1)
            for (i, c) in d { counts[(i >> steps) - first] &+= c }
            return NativeBucketRun(offset: first, counts: counts)
        }
        return NativeHistogramValue(schema: schema, zeroThreshold: threshold, zeroCount: zero,
                                    positive: run(positive), negative: run(negative))
    }

    /// The upper bound of bucket `index` at `schema`: `2^((index + 1) · 2^-schema)`.
    public static func upperBound(index: Int, schema: Int) -> Double {
        if schema <= 0 {
            // A power of two: exact.
            return exp2(Double((index + 1) << -schema))
        }
        return exp2(Double(index + 1) / Double(1 << schema))
    }

    /// The index of the bucket holding `magnitude` (> 0, finite) at `schema`.
    @inline(__always)
    public static func index(of magnitude: Double, schema: Int) -> Int {
        // Exact powers of two lie on a bucket's upper bound at every schema.
        let exactPower = magnitude.significand == 1
        let exponent = Int(magnitude.exponent)
        if schema <= 0 {
            return (exactPower ? exponent - 1 : exponent) >> -schema
        }
        if exactPower { return (exponent << schema) - 1 }
        return NativeIndexTable.forSchema[Swift.min(schema, NativeIndexTable.forSchema.count - 1)].index(magnitude)
    }
}

/// The bucket index of a value at a positive schema without a logarithm: the bucket bounds within
/// one doubling as significands, and for each of `2^(schema+1)` equal slices of `[1, 2)` the
/// bucket its start lies in. A slice is narrower than the narrowest bucket (`0.5/2^s` against
/// `ln 2/2^s`), so it holds at most one bound: one table load and one comparison give the index.
/// About 20 ns of `log` saved per observation (see docs/PERFORMANCE.md).
final class NativeIndexTable: Sendable {
    let schema: Int
    /// `2^(k/2^schema)` for `k = 0...2^schema` (the last is 2).
    private let bounds: [Double]
    /// Per slice of the significand range, the bucket (within the doubling) holding its start.
    private let firstBucket: [Int]
    private let slices: Double

    /// Tables for schemas 1…8, by schema (index 0 unused: schema 0 and below need no table).
    static let forSchema: [NativeIndexTable] = (0...8).map(NativeIndexTable.init)

    init(schema: Int) {
        self.schema = schema
        let n = 1 << Swift.max(schema, 0)
        let bounds = (0...n).map { k in k == n ? 2 : exp2(Double(k) / Double(n)) }
        let slices = n * 2
        self.bounds = bounds
        self.slices = Double(slices)
        self.firstBucket = (0..<slices).map { j in
            let start = 1 + Double(j) / Double(slices)
            var k = 0
            while k + 1 < n && bounds[k + 1] <= start { k += 1 }
            return k
        }
    }

    /// The index of `magnitude` (> 0, finite, not a power of two) at this table's schema.
    @inline(__always)
    func index(_ magnitude: Double) -> Int {
        let m = magnitude.significand  // [1, 2), also for subnormals
        let j = Int((m - 1) * slices)
        var k = firstBucket[j]
        if m > bounds[k + 1] { k += 1 }
        return (Int(magnitude.exponent) << schema) + k
    }

    /// The same for a normal number given by its bits: `mantissa` (the 52 stored bits, not 0) and
    /// unbiased `exponent`. No call into the standard library's `significand`/`exponent`, which
    /// are not inlined and cost more than the rest of the index.
    @inline(__always)
    func index(mantissa: UInt64, exponent: Int) -> Int {
        let m = Double(bitPattern: mantissa | 0x3FF0_0000_0000_0000)
        var k = firstBucket[Int(truncatingIfNeeded: mantissa >> UInt64(51 - schema))]
        if m > bounds[k + 1] { k += 1 }
        return (exponent << schema) + k
    }
}
