import AgentTelemetry

/// Turns registry snapshots into data points and, for delta temporality, remembers per series
/// the last cumulative reading the collector acknowledged.
///
/// A delta is always `current − last acknowledged`, so a failed export loses nothing (the next
/// delta covers the longer interval) and nothing is counted twice (the baseline only moves after
/// a 2xx via `commit`). Memory: one entry per exported counter or histogram series.
struct OTLPDeltaTracker: Sendable {
    struct Baseline: Sendable {
        var value: SeriesValue
        var exportedAtNanoseconds: UInt64
    }

    /// The temporality points are computed for.
    let temporality: OTLPTemporality
    private(set) var baselines: [UInt64: Baseline] = [:]
    /// Per series that has sent exemplars: the newest exemplar timestamp the collector accepted.
    /// Only newer exemplars go into the next point, so each is sent until accepted, then never
    /// again (memory: one entry per series that ever had an exemplar).
    private(set) var exemplarsAcceptedUntil: [UInt64: UInt64] = [:]
    /// Delta only, per native histogram series: the observations taken from the series since
    /// the last accepted export (`SeriesSnapshot.nativeInterval`, merged when an export failed).
    /// Removed when a point carrying them is accepted. Memory: one native value per series with
    /// unacknowledged observations, each at most `max_buckets` buckets.
    private(set) var pendingIntervals: [UInt64: HistogramValue] = [:]

    init(temporality: OTLPTemporality) {
        self.temporality = temporality
    }

    /// Delta only: keeps the native intervals `snapshot` carries (taken out of their series, so
    /// they must not be lost when this export fails), merged into what earlier failed exports
    /// left. Call before `metrics(from:)` with a snapshot taken with `takingNativeIntervals`.
    mutating func absorbIntervals(from snapshot: MetricsSnapshot) {
        guard temporality == .delta else { return }
        for family in snapshot.families {
            guard let settings = family.info.nativeHistogram else { continue }
            for s in family.series {
                guard let interval = s.nativeInterval, let native = interval.native else { continue }
                guard let earlier = pendingIntervals[s.id], let before = earlier.native else {
                    pendingIntervals[s.id] = interval
                    continue
                }
                let merged = before.merging(native, maxBuckets: settings.maxBuckets)
                pendingIntervals[s.id] = HistogramValue(
                    bounds: [], bucketCounts: [merged.count], sum: earlier.sum + interval.sum, count: merged.count,
                    min: Swift.min(earlier.min, interval.min), max: Swift.max(earlier.max, interval.max), native: merged)
            }
        }
    }

    /// The data points of `snapshot`, one metric per non-empty family.
    func metrics(from snapshot: MetricsSnapshot) -> [OTLPMetricData] {
        var out: [OTLPMetricData] = []
        out.reserveCapacity(snapshot.families.count)
        let now = snapshot.timestampNanoseconds
        for family in snapshot.families where !family.series.isEmpty {
            var points: [OTLPDataPoint] = []
            points.reserveCapacity(family.series.count)
            for s in family.series {
                var p = point(for: s, at: now)
                if !s.exemplars.isEmpty {
                    let after = exemplarsAcceptedUntil[s.id] ?? 0
                    p.exemplars = s.exemplars.compactMap { e in e.flatMap { $0.timestampNanoseconds > after ? $0 : nil } }
                }
                points.append(p)
            }
            out.append(OTLPMetricData(info: family.info, points: points))
        }
        return out
    }

    private func point(for s: SeriesSnapshot, at now: UInt64) -> OTLPDataPoint {
        let seriesStart = min(s.startNanoseconds, now)
        switch s.value {
        case let .gauge(v):
            return OTLPDataPoint(seriesID: s.id, labels: s.labels, startNanoseconds: seriesStart,
                                 timeNanoseconds: now, value: .number(v), cumulative: s.value)
        case let .counter(v):
            guard temporality == .delta, let base = baselines[s.id], case let .counter(b) = base.value, v >= b else {
                return OTLPDataPoint(seriesID: s.id, labels: s.labels, startNanoseconds: seriesStart,
                                     timeNanoseconds: now, value: .number(v), cumulative: s.value)
            }
            return OTLPDataPoint(seriesID: s.id, labels: s.labels, startNanoseconds: base.exportedAtNanoseconds,
                                 timeNanoseconds: now, value: .number(v - b), cumulative: s.value)
        case let .histogram(h):
            let full = OTLPDataPoint.Value.histogram(h, hasMinMax: h.count > 0)
            // A native series with an acknowledged export: the interval taken from the series,
            // whose buckets and scale started afresh (with its own count, sum, min and max).
            if temporality == .delta, h.native != nil, let base = baselines[s.id], let interval = pendingIntervals[s.id] {
                return OTLPDataPoint(seriesID: s.id, labels: s.labels, startNanoseconds: base.exportedAtNanoseconds,
                                     timeNanoseconds: now, value: .histogram(interval, hasMinMax: interval.count > 0), cumulative: s.value)
            }
            guard temporality == .delta, let base = baselines[s.id], case let .histogram(b) = base.value,
                  let diff = Self.difference(h, minus: b) else {
                return OTLPDataPoint(seriesID: s.id, labels: s.labels, startNanoseconds: seriesStart,
                                     timeNanoseconds: now, value: full, cumulative: s.value)
            }
            // Min and max over the interval are known only when nothing was acknowledged before it.
            let value = OTLPDataPoint.Value.histogram(b.count == 0 ? h : diff, hasMinMax: b.count == 0 && h.count > 0)
            return OTLPDataPoint(seriesID: s.id, labels: s.labels, startNanoseconds: base.exportedAtNanoseconds,
                                 timeNanoseconds: now, value: value, cumulative: s.value)
        }
    }

    /// `current − base` bucket by bucket, or `nil` when the histogram was reset or re-bucketed.
    /// Native buckets are subtracted at the current schema (the baseline is coarsened first when
    /// the series reduced its resolution since); the exporter itself sends the series' own
    /// interval instead (`pendingIntervals`), which keeps its finer scale.
    static func difference(_ current: HistogramValue, minus base: HistogramValue) -> HistogramValue? {
        guard current.bounds == base.bounds, current.bucketCounts.count == base.bucketCounts.count,
              current.count >= base.count else { return nil }
        var native: NativeHistogramValue?
        if let n = current.native {
            guard let b = base.native, let d = n.subtracting(b) else { return nil }
            native = d
        }
        var counts = current.bucketCounts
        for i in counts.indices {
            guard counts[i] >= base.bucketCounts[i] else { return nil }
            counts[i] -= base.bucketCounts[i]
        }
        return HistogramValue(bounds: current.bounds, bucketCounts: counts, sum: current.sum - base.sum,
                              count: current.count - base.count, min: .infinity, max: -.infinity, native: native)
    }

    /// Records that the collector accepted `points`: their readings become the new baselines.
    mutating func commit(_ metrics: [OTLPMetricData]) {
        for m in metrics {
            for p in m.points where !p.exemplars.isEmpty {
                let newest = p.exemplars.reduce(0) { max($0, $1.timestampNanoseconds) }
                exemplarsAcceptedUntil[p.seriesID] = max(exemplarsAcceptedUntil[p.seriesID] ?? 0, newest)
            }
        }
        guard temporality == .delta else { return }
        for m in metrics where m.info.type != .gauge {
            for p in m.points {
                baselines[p.seriesID] = Baseline(value: p.cumulative, exportedAtNanoseconds: p.timeNanoseconds)
                // Accepted: its interval (or the cumulative point that covered it) is delivered.
                if m.info.nativeHistogram != nil { pendingIntervals[p.seriesID] = nil }
            }
        }
    }
}
