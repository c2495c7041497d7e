import Synchronization

/// One histogram series: observations counted into explicit buckets, plus sum, count, min and max.
///
/// An observation finds its bucket without locking and then updates the state in a short
/// `Mutex` section (no allocation), so that a reader always sees count equal to the sum of the
/// buckets. NaN observations, and any observation that would make the sum infinite, are
/// refused, counted and logged once.
public final class HistogramSeries: MetricSeries {
    /// The series' context: family info, labels, id, creation time.
    public let context: SeriesContext
    /// Upper bounds of the buckets (the `+Inf` bucket is implicit).
    public let bounds: [Double]
    private let state: Mutex<HistogramValue>
    /// The latest exemplar per bucket, allocated with the first traced observation.
    let exemplarStorage: ExemplarStorage

    /// Creates a series; the registry does this, user code asks a family for its series.
    public init(context: SeriesContext) {
        self.context = context
        self.bounds = context.info.buckets
        self.exemplarStorage = ExemplarStorage()
        self.state = Mutex(HistogramValue(
            bounds: context.info.buckets,
            bucketCounts: Array(repeating: 0, count: context.info.buckets.count + 1),
            sum: 0, count: 0, min: .infinity, max: -.infinity))
    }

    /// Records one observation.
    public func observe(_ value: Double) { _ = record(value) }

    /// Records one observation, and keeps `exemplar` (when given) as the latest exemplar of the
    /// bucket the value falls in. Without an exemplar this is `observe(_:)`: the exemplar slots
    /// are not touched, so untraced observations cost what they cost before exemplars existed.
    public func observe(_ value: Double, exemplar: TraceReference?) {
        guard let index = record(value), let exemplar else { return }
        exemplarStorage.store(
            Exemplar(trace: exemplar, value: value, timestampNanoseconds: WallClock.nowNanoseconds()),
            at: index, of: bounds.count + 1)
    }

    /// Counts `value` and returns the index of its bucket; nil (refused, counted, logged once) for
    /// NaN or a value that would make the sum infinite.
    @inline(__always)
    private func record(_ value: Double) -> Int? {
        guard !value.isNaN else {
            context.health.rejectValue(value, why: "NaN cannot be observed")
            return nil
        }
        let index = bucketIndex(value)
        let recorded = state.withLock { s -> Bool in
            let sum = s.sum + value
            // A sum that would stop being finite (an infinite value, or 1e308 twice) is refused
            // whole: no format may carry a NaN or infinite sum, and a delta of two infinite sums
            // would be NaN.
            guard sum.isFinite else { return false }
            s.bucketCounts[index] &+= 1
            s.count &+= 1
            s.sum = sum
            if value < s.min { s.min = value }
            if value > s.max { s.max = value }
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
    /// where a bucket has none), or empty when no traced observation happened.
    public var exemplars: [Exemplar?] { exemplarStorage.read() }

    /// Records an integer observation (token counts).
    @inlinable public func observe(_ value: Int) { observe(Double(value)) }

    /// Records a duration in seconds.
    @inlinable public func observe(_ duration: Duration) { observe(duration.seconds) }

    @inline(__always)
    private func bucketIndex(_ value: Double) -> Int {
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
            var copy = s
            copy.bucketCounts = Array(unsafeUninitializedCapacity: s.bucketCounts.count) { buffer, n in
                for (i, c) in s.bucketCounts.enumerated() { buffer[i] = c }
                n = s.bucketCounts.count
            }
            return copy
        }
    }

    /// Copies the per-bucket counts into `counts` (reusing its storage) and returns sum and count,
    /// all read in one lock section: for renderers that want no allocation per series.
    public func read(into counts: inout [UInt64]) -> (sum: Double, count: UInt64) {
        state.withLock { s in
            counts.removeAll(keepingCapacity: true)
            counts.append(contentsOf: s.bucketCounts)
            return (s.sum, s.count)
        }
    }

    /// The label set pre-rendered in Prometheus text form (see `LabelSet.prometheusText`);
    /// reads one field, without copying the whole context.
    @inlinable public var renderedLabels: [UInt8] { context.labels.prometheusText }

    /// When the series was created, nanoseconds since the epoch.
    @inlinable public var createdNanoseconds: UInt64 { context.createdNanoseconds }

    /// A point-in-time reading.
    public func snapshotValue() -> SeriesValue { .histogram(current) }

    /// The latest exemplar per bucket, or empty.
    public func snapshotExemplars() -> [Exemplar?] { exemplarStorage.read() }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    @inlinable public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
