/// Quantiles from cumulative histogram buckets, computed exactly as Prometheus's
/// `histogram_quantile` does: linear interpolation inside the bucket holding the rank, the
/// lower bound of the first bucket taken as 0, and the upper bound of the last finite bucket
/// returned when the rank falls into the `+Inf` bucket.
package enum HistogramQuantile {
    /// The `q`-quantile of `buckets` (upper bound → cumulative count), or `nil` when it is undefined
    /// (no `+Inf` bucket, fewer than two buckets, no observations). Cost: sorts the buckets.
    package static func quantile(_ q: Double, buckets: [Double: Double]) -> Double? {
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var sorted = buckets.sorted { $0.key < $1.key }.map { (upperBound: $0.key, count: $0.value) }
        guard let last = sorted.last, last.upperBound == .infinity, sorted.count >= 2 else { return nil }
        // Counts must be monotonic; a scrape racing an update can break that, Prometheus repairs it the same way.
        for i in sorted.indices.dropFirst() where sorted[i].count < sorted[i - 1].count {
            sorted[i].count = sorted[i - 1].count
        }
        let observations = last.count
        guard observations > 0, !observations.isNaN else { return nil }
        var rank = q * observations
        let b = sorted.indices.dropLast().first { sorted[$0].count >= rank } ?? (sorted.count - 1)
        if b == sorted.count - 1 { return sorted[sorted.count - 2].upperBound }
        if b == 0, sorted[0].upperBound <= 0 { return sorted[0].upperBound }
        var bucketStart = 0.0
        var count = sorted[b].count
        if b > 0 {
            bucketStart = sorted[b - 1].upperBound
            count -= sorted[b - 1].count
            rank -= sorted[b - 1].count
        }
        return bucketStart + (sorted[b].upperBound - bucketStart) * (rank / count)
    }
}
