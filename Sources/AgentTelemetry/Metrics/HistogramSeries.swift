import Synchronization

/// One histogram series: observations counted into explicit buckets, plus sum, count, min and max,
/// and, when its family's aggregation asks for it, into exponential (native) buckets.
///
/// An observation finds its bucket (and its native bucket index at the finest schema) without
/// locking and then updates the state in a short `Mutex` section (no allocation once the native
/// buckets cover the values seen), so that a reader always sees count equal to the sum of the
/// buckets. NaN observations, and any observation that would make the sum infinite, are
/// refused, counted and logged once.
public final class HistogramSeries: MetricSeries {
    /// The series' context: family info, labels, id, creation time.
    public let context: SeriesContext
    /// Upper bounds of the buckets (the `+Inf` bucket is implicit).
    public let bounds: [Double]
    private let state: Mutex<State>
    /// The latest exemplar per bucket, allocated with the first traced observation. Indexed by
    /// `exemplarBounds`: the classic bounds, or for a native-only family the registered ones, so
    /// that exemplars stay spread over the range as with classic buckets.
    let exemplarStorage: ExemplarStorage
    /// The bounds exemplar slots are chosen by (see `exemplarStorage`).
    let exemplarBounds: [Double]
    /// The finest native schema (nil without native buckets): indices are computed at it
    /// before the lock is taken.
    private let nativeSchema: Int?
    /// The index table of a positive finest schema, held so that observe reads no global.
    private let nativeTable: NativeIndexTable?

    private struct State {
        var classic: HistogramValue
        var native: NativeHistogramState?
        /// The observations since the last `takeNativeInterval()` (an OTLP delta export), at
        /// their own resolution: started fresh, at the finest schema, at each take.
        var interval: Interval?
        var hasInterval = false
    }

    private struct Interval {
        var native: NativeHistogramState
        var sum = 0.0
        var min = Double.infinity
        var max = -Double.infinity

        mutating func record(_ value: Double, fineIndex: Int) {
            native.record(value, fineIndex: fineIndex)
            sum += value
            if value < min { min = value }
            if value > max { max = value }
        }
    }

    /// Creates a series; the registry does this, user code asks a family for its series.
    public init(context: SeriesContext) {
        self.context = context
        self.bounds = context.info.buckets
        self.exemplarStorage = ExemplarStorage()
        let native = context.info.nativeHistogram
        self.exemplarBounds = context.info.buckets.isEmpty && native != nil ? context.info.exemplarBounds : context.info.buckets
        self.nativeSchema = native?.schema
        self.nativeTable = native.flatMap { $0.schema > 0 ? NativeIndexTable.forSchema[min($0.schema, 8)] : nil }
        self.state = Mutex(State(
            classic: HistogramValue(bounds: context.info.buckets,
                                    bucketCounts: Array(repeating: 0, count: context.info.buckets.count + 1),
                                    sum: 0, count: 0, min: .infinity, max: -.infinity),
            native: native.map(NativeHistogramState.init)))
    }

    /// Records one observation.
    public func observe(_ value: Double) { _ = record(value) }

    /// Records one observation, and keeps `exemplar` (when given) as the latest exemplar of the
    /// bucket the value falls in. Without an exemplar this is `observe(_:)`: the exemplar slots
    /// are not touched, so untraced observations cost what they cost before exemplars existed.
    public func observe(_ value: Double, exemplar: TraceReference?) {
        guard let index = record(value), let exemplar else { return }
        let slot = exemplarBounds.count == bounds.count ? index : Self.bucketIndex(value, in: exemplarBounds)
        exemplarStorage.store(
            Exemplar(trace: exemplar, value: value, timestampNanoseconds: WallClock.nowNanoseconds()),
            at: slot, of: exemplarBounds.count + 1)
    }

    /// Counts `value` and returns the index of its bucket; nil (refused, counted, logged once) for
    /// NaN or a value that would make the sum infinite.
    @inline(__always)
    private func record(_ value: Double) -> Int? {
        guard !value.isNaN else {
            context.health.rejectValue(value, why: "NaN cannot be observed")
            return nil
        }
        let index = Self.bucketIndex(value, in: bounds)
        // The native index at the finest schema (a logarithm), outside the lock; the lock only
        // shifts it to the series' current schema.
        var fineIndex = 0
        if let nativeSchema {
            let bits = value.bitPattern & 0x7FFF_FFFF_FFFF_FFFF
            let biased = Int(truncatingIfNeeded: bits >> 52)
            let mantissa = bits & 0x000F_FFFF_FFFF_FFFF
            if biased != 0 && biased != 0x7FF && mantissa != 0, let nativeTable {
                // A normal number, not a power of two: read off its bits.
                fineIndex = nativeTable.index(mantissa: mantissa, exponent: biased - 1023)
            } else if bits != 0 && biased != 0x7FF {
                fineIndex = NativeHistogramValue.index(of: value.magnitude, schema: nativeSchema)
            }
        }
        let isNative = nativeSchema != nil
        let recorded = state.withLock { s -> Bool in
            let sum = s.classic.sum + value
            // A sum that would stop being finite (an infinite value, or 1e308 twice) is refused
            // whole: no format may carry a NaN or infinite sum, and a delta of two infinite sums
            // would be NaN.
            guard sum.isFinite else { return false }
            s.classic.bucketCounts[index] &+= 1
            s.classic.count &+= 1
            s.classic.sum = sum
            if value < s.classic.min { s.classic.min = value }
            if value > s.classic.max { s.classic.max = value }
            if isNative {
                s.native?.record(value, fineIndex: fineIndex)
                // A flag, not `interval != nil`: that comparison copied the optional (a retain
                // and release of its arrays) on every observation.
                if s.hasInterval { s.interval?.record(value, fineIndex: fineIndex) }
            }
            return true
        }
        guard recorded else {
            context.health.rejectValue(value, why: "the histogram's sum would no longer be finite")
            return nil
        }
        if context.hub.isActive { context.hub.histogram(self, value) }
        return index
    }

    /// Records an integer observation with an optional exemplar.
    @inlinable public func observe(_ value: Int, exemplar: TraceReference?) { observe(Double(value), exemplar: exemplar) }

    /// Records a duration in seconds with an optional exemplar.
    @inlinable public func observe(_ duration: Duration, exemplar: TraceReference?) { observe(duration.seconds, exemplar: exemplar) }

    /// The latest exemplar of each bucket (`bounds.count + 1` entries, the last for `+Inf`; nil
    /// where a bucket has none), or empty when no traced observation happened. A native-only
    /// series (no classic bounds) gives its newest exemplar, for the `+Inf` bucket.
    public var exemplars: [Exemplar?] {
        let all = exemplarStorage.read()
        guard exemplarBounds.count != bounds.count, !all.isEmpty else { return all }
        return [all.compactMap { $0 }.max { $0.timestampNanoseconds < $1.timestampNanoseconds }]
    }

    /// The exemplars kept for the native buckets: the latest of each slot (slots spread as the
    /// classic bounds, or the registered ones for a native-only series), by value.
    public var nativeExemplars: [Exemplar] {
        exemplarStorage.read().compactMap { $0 }.sorted { $0.value < $1.value }
    }

    /// Records an integer observation (token counts).
    @inlinable public func observe(_ value: Int) { observe(Double(value)) }

    /// Records a duration in seconds.
    @inlinable public func observe(_ duration: Duration) { observe(duration.seconds) }

    @inline(__always)
    private static func bucketIndex(_ value: Double, in bounds: [Double]) -> Int {
        // Binary search for the first bound >= value; bounds.count when none.
        var lo = 0
        var hi = bounds.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if bounds[mid] < value { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// A consistent copy of the current state. The bucket counts are copied, not shared, so the
    /// next `observe` does not have to copy them inside its lock.
    public var current: HistogramValue {
        state.withLock { s in
            var copy = s.classic
            copy.bucketCounts = Array(unsafeUninitializedCapacity: s.classic.bucketCounts.count) { buffer, n in
                for (i, c) in s.classic.bucketCounts.enumerated() { buffer[i] = c }
                n = s.classic.bucketCounts.count
            }
            copy.native = s.native?.value
            return copy
        }
    }

    /// The cumulative state and, for a native series, the observations since the previous call
    /// (count, sum, min, max and native buckets, as a `HistogramValue` without classic bounds), read
    /// in one lock section; the interval then starts again, empty and at the finest schema. The
    /// first call returns no interval (the cumulative state is everything so far). For one OTLP
    /// delta exporter per registry: two would take each other's intervals.
    package func takeNativeInterval() -> (cumulative: HistogramValue, interval: HistogramValue?) {
        state.withLock { s in
            var copy = s.classic
            copy.native = s.native?.value
            guard let settings = context.info.nativeHistogram else { return (copy, nil) }
            let taken = s.interval.map { i -> HistogramValue in
                let n = i.native.value
                return HistogramValue(bounds: [], bucketCounts: [n.count], sum: i.sum, count: n.count, min: i.min, max: i.max, native: n)
            }
            s.interval = Interval(native: NativeHistogramState(settings))
            s.hasInterval = true
            return (copy, taken)
        }
    }

    /// Buckets the native part holds now (both signs' populated spans; 0 without native
    /// buckets): never more than the settings' `maxBuckets`.
    public var nativeBucketSpan: Int { state.withLock { $0.native?.bucketSpan ?? 0 } }

    /// Bucket counts allocated for the native part (both signs), for memory accounting: at most
    /// twice `maxBuckets`.
    public var nativeAllocatedBuckets: Int { state.withLock { $0.native?.allocatedCounts ?? 0 } }

    /// Copies the per-bucket counts into `counts` (reusing its storage) and returns sum and count,
    /// all read in one lock section: for renderers that want no allocation per series.
    public func read(into counts: inout [UInt64]) -> (sum: Double, count: UInt64) {
        state.withLock { s in
            counts.removeAll(keepingCapacity: true)
            counts.append(contentsOf: s.classic.bucketCounts)
            return (s.classic.sum, s.classic.count)
        }
    }

    /// The label set pre-rendered in Prometheus text form (see `LabelSet.prometheusText`);
    /// reads one field, without copying the whole context.
    @inlinable public var renderedLabels: [UInt8] { context.labels.prometheusText }

    /// When the series was created, nanoseconds since the epoch.
    @inlinable public var createdNanoseconds: UInt64 { context.createdNanoseconds }

    /// A point-in-time reading.
    public func snapshotValue() -> SeriesValue { .histogram(current) }

    /// The latest exemplar per exemplar slot (per classic bucket; for a native-only series per
    /// registered bucket), or empty.
    public func snapshotExemplars() -> [Exemplar?] { exemplarStorage.read() }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    @inlinable public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
