/// The buckets of one sign of a native histogram, held densely: `counts[k]` is bucket
/// `base + k`; `low...high` is the populated range (empty when `low > high`).
///
/// The array grows (with slack on the side it grows towards) only when an observation falls
/// outside it, and never beyond the series' bucket budget, so once a series has seen its range
/// an observation allocates nothing.
struct NativeBucketArray {
    var counts: [UInt64] = []
    var base = 0
    var low = Int.max
    var high = Int.min

    var isEmpty: Bool { low > high }
    /// Buckets the populated range spans.
    var span: Int { isEmpty ? 0 : high - low + 1 }

    /// The span if the range were stretched to cover `index` and then coarsened by `steps`.
    func span(including index: Int?, coarsenedBy steps: Int) -> Int {
        var lo = low, hi = high
        if let index { lo = Swift.min(lo, index); hi = Swift.max(hi, index) }
        guard lo <= hi else { return 0 }
        return (hi >> steps) - (lo >> steps) + 1
    }

    /// Adds one to bucket `index`, making room when needed (at most `capacity` counts).
    @inline(__always)
    mutating func increment(_ index: Int, capacity: Int) {
        let k = index &- base
        if k >= 0 && k < counts.count {
            counts[k] &+= 1
            if index < low { low = index }
            if index > high { high = index }
            return
        }
        grow(toInclude: index, capacity: capacity)
        counts[index - base] &+= 1
        low = Swift.min(low, index)
        high = Swift.max(high, index)
    }

    /// Re-lays the counts so that `index` fits, doubling the length (within `capacity`) and
    /// leaving the slack on the side the range grew towards.
    private mutating func grow(toInclude index: Int, capacity: Int) {
        let lo = isEmpty ? index : Swift.min(low, index)
        let hi = isEmpty ? index : Swift.max(high, index)
        let needed = hi - lo + 1
        let length = Swift.min(Swift.max(needed, Swift.max(8, counts.count * 2)), Swift.max(capacity, needed))
        let newBase = !isEmpty && index < low ? hi - length + 1 : lo
        var fresh = [UInt64](repeating: 0, count: length)
        if !isEmpty {
            for i in low...high { fresh[i - newBase] = counts[i - base] }
        }
        counts = fresh
        base = newBase
    }

    /// Merges pairs of buckets `steps` times (index `i` becomes `i >> steps`).
    mutating func coarsen(by steps: Int) {
        guard steps > 0 else { return }
        guard !isEmpty else { base >>= steps; return }
        let lo = low >> steps, hi = high >> steps
        var fresh = [UInt64](repeating: 0, count: Swift.max(hi - lo + 1, counts.count))
        for i in low...high { fresh[(i >> steps) - lo] &+= counts[i - base] }
        counts = fresh
        base = lo
        low = lo
        high = hi
    }

    /// Removes the buckets with index at most `index`, returning their total.
    mutating func removeBuckets(through index: Int) -> UInt64 {
        guard !isEmpty, low <= index else { return 0 }
        var removed: UInt64 = 0
        for i in low...Swift.min(index, high) {
            removed &+= counts[i - base]
            counts[i - base] = 0
        }
        if index >= high {
            low = .max
            high = .min
        } else {
            var next = index + 1
            while counts[next - base] == 0 { next += 1 }
            low = next
        }
        return removed
    }

    /// The populated range as a run.
    var run: NativeBucketRun {
        isEmpty ? .empty : NativeBucketRun(offset: low, counts: Array(counts[(low - base)...(high - base)]))
    }
}

/// A native histogram's mutable state, kept inside its series' lock beside the classic state.
struct NativeHistogramState {
    /// The schema indices are computed at before the lock is taken (the settings' schema).
    let finestSchema: Int
    let maxBuckets: Int
    var schema: Int
    var zeroThreshold: Double
    var zeroCount: UInt64 = 0
    var positive = NativeBucketArray()
    var negative = NativeBucketArray()

    init(_ settings: NativeHistogramSettings) {
        finestSchema = settings.schema
        maxBuckets = settings.maxBuckets
        schema = settings.schema
        zeroThreshold = settings.zeroThreshold
    }

    /// Counts `value`, whose bucket index at `finestSchema` is `fineIndex` (ignored for zero).
    @inline(__always)
    mutating func record(_ value: Double, fineIndex: Int) {
        let magnitude = value.magnitude
        if magnitude <= zeroThreshold {
            zeroCount &+= 1
            return
        }
        let index = fineIndex >> (finestSchema &- schema)
        let isNegative = value < 0
        // Fast path: the bucket is inside the array already laid out.
        if isNegative {
            let k = index &- negative.base
            if k >= 0 && k < negative.counts.count { negative.increment(index, capacity: maxBuckets); return }
        } else {
            let k = index &- positive.base
            if k >= 0 && k < positive.counts.count { positive.increment(index, capacity: maxBuckets); return }
        }
        recordSlow(magnitude, index: index, negative: isNegative)
    }

    /// An observation outside the laid-out arrays: coarsen (or widen the zero bucket) until the
    /// populated ranges fit the budget, then add.
    private mutating func recordSlow(_ magnitude: Double, index: Int, negative isNegative: Bool) {
        var index = index
        while true {
            let total = positive.span(including: isNegative ? nil : index, coarsenedBy: 0)
                + negative.span(including: isNegative ? index : nil, coarsenedBy: 0)
            if total <= maxBuckets { break }
            if schema > NativeHistogramSettings.schemas.lowerBound {
                // The fewest halvings that make it fit, without going below the coarsest schema.
                var steps = 1
                while schema - steps > NativeHistogramSettings.schemas.lowerBound,
                      positive.span(including: isNegative ? nil : index, coarsenedBy: steps)
                        + negative.span(including: isNegative ? index : nil, coarsenedBy: steps) > maxBuckets {
                    steps += 1
                }
                positive.coarsen(by: steps)
                negative.coarsen(by: steps)
                schema -= steps
                index >>= steps
            } else {
                // Coarsest schema and still too wide: the smallest populated bucket (of either
                // sign, or the new one) joins the zero bucket.
                let lowest = [positive.isEmpty ? Int.max : positive.low, negative.isEmpty ? Int.max : negative.low, index].min() ?? index
                // The top bucket's bound is 2^1024 (infinite): keep the threshold finite.
                zeroThreshold = min(NativeHistogramValue.upperBound(index: lowest, schema: schema), .greatestFiniteMagnitude)
                zeroCount &+= positive.removeBuckets(through: lowest) &+ negative.removeBuckets(through: lowest)
                if index <= lowest || magnitude <= zeroThreshold {
                    zeroCount &+= 1
                    return
                }
            }
        }
        if isNegative { negative.increment(index, capacity: maxBuckets) } else { positive.increment(index, capacity: maxBuckets) }
    }

    /// Buckets held (populated spans of both signs); never more than `maxBuckets`.
    var bucketSpan: Int { positive.span + negative.span }

    /// Counts allocated for both signs (for memory accounting).
    var allocatedCounts: Int { positive.counts.count + negative.counts.count }

    var value: NativeHistogramValue {
        NativeHistogramValue(schema: schema, zeroThreshold: zeroThreshold, zeroCount: zeroCount,
                             positive: positive.run, negative: negative.run)
    }
}
