import Synchronization

/// A series type the registry can hold: `Counter`, `Gauge` or `Histogram`.
public protocol MetricSeries: AnyObject, Sendable {
    /// Creates a series with its context.
    init(context: SeriesContext)
    /// The series' context.
    var context: SeriesContext { get }
    /// A point-in-time reading.
    func snapshotValue() -> SeriesValue
    /// The series' latest exemplars: one slot for a counter, one per bucket for a histogram (nil
    /// where there is none); empty when the series has none (gauges never have any).
    func snapshotExemplars() -> [Exemplar?]
}

extension MetricSeries {
    /// No exemplars.
    public func snapshotExemplars() -> [Exemplar?] { [] }
}

/// Families of the three instrument kinds.
public typealias CounterFamily = MetricFamily<CounterSeries>
/// A family of gauge series.
public typealias GaugeFamily = MetricFamily<GaugeSeries>
/// A family of histogram series.
public typealias HistogramFamily = MetricFamily<HistogramSeries>

/// A named metric and all its labelled series.
///
/// Asking for the series of a label combination is a hash lookup under a short lock; hold the
/// returned series to update it without any lookup. Memory is bounded by the cardinality limit:
/// past it, new combinations share one series labelled `otel_metric_overflow="true"`.
/// A call with the wrong number of label values gets a detached series whose updates are
/// discarded; the mistake is counted and logged once, never a crash.
public final class MetricFamily<Series: MetricSeries>: Sendable {
    /// Name, help, type, unit, labels and buckets, as exported (after views).
    public let info: MetricFamilyInfo
    /// The family as its code registered it, before views: lookups take label values in the
    /// order of `registered.labelNames`.
    public let registered: MetricFamilyInfo
    /// Maximum number of distinct label combinations before overflow.
    public let cardinalityLimit: Int
    /// Whether a view keeps this family out of every export (its updates go nowhere).
    public let isDenied: Bool
    let hub: UpdateHub
    let health: FamilyHealth
    private let unlabelled: Series?
    /// Number of label values a lookup takes (the registered labels).
    private let inputLabelCount: Int
    /// Positions of the kept values among the registered ones, when a view drops labels.
    private let projection: [Int]?
    /// The number of kept values when they are the first ones (the projection is a prefix: a view
    /// that leaves out opt-in labels, which come last): the key is cut, not rebuilt.
    private let keptPrefix: Int?
    private let state: Mutex<State>
    private let detached: Series

    struct State {
        var byValues = SeriesTable<Series>()
        var ordered: [Series] = []
        var overflow: Series?
    }

    /// A family exported as registered.
    convenience init(info: MetricFamilyInfo, cardinalityLimit: Int, hub: UpdateHub, health: FamilyHealth) {
        self.init(info: info, registered: info, cardinalityLimit: cardinalityLimit, denied: false, hub: hub, health: health)
    }

    /// A family whose exported `info` a view derived from `registered` (same type; labels a
    /// subset of the registered ones, in the same order). A denied family creates no series.
    init(info: MetricFamilyInfo, registered: MetricFamilyInfo, cardinalityLimit: Int, denied: Bool,
         hub: UpdateHub, health: FamilyHealth) {
        self.info = info
        self.registered = registered
        self.cardinalityLimit = cardinalityLimit
        self.isDenied = denied
        self.hub = hub
        self.health = health
        self.inputLabelCount = registered.labelNames.count
        if info.labelNames != registered.labelNames && !info.labelNames.isEmpty {
            let kept = Set(info.labelNames)
            let positions = registered.labelNames.indices.filter { kept.contains(registered.labelNames[$0]) }
            self.projection = positions
            self.keptPrefix = positions == Array(0..<positions.count) ? positions.count : nil
        } else {
            self.projection = nil
            self.keptPrefix = nil
        }
        // Updates to the detached series go nowhere: it is never part of a snapshot and has no listeners.
        let detached = Series(context: SeriesContext(
            info: info, labels: LabelSet(names: ["agent_telemetry_rejected"], values: ["true"]), id: 0,
            createdNanoseconds: 0, hub: UpdateHub(), health: health))
        self.detached = detached
        var initial = State()
        if denied {
            self.unlabelled = detached
        } else if info.labelNames.isEmpty {
            let s = Series(context: SeriesContext(
                info: info, labels: .empty, id: SeriesIDs.make(),
                createdNanoseconds: WallClock.nowNanoseconds(), hub: hub, health: health))
            initial.ordered.append(s)
            self.unlabelled = s
        } else {
            self.unlabelled = nil
        }
        self.state = Mutex(initial)
    }

    /// The series for these label values, in the order of `registered.labelNames`.
    public func labels(_ values: String...) -> Series { labels(values) }

    /// The series of a one-label family; no array is built for the lookup.
    public func labels(_ a: String) -> Series { lookup(LabelKey(a, count: 1)) }
    /// The series of a two-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String) -> Series { lookup(LabelKey(a, b, count: 2)) }
    /// The series of a three-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String, _ c: String) -> Series { lookup(LabelKey(a, b, c, count: 3)) }
    /// The series of a four-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String, _ c: String, _ d: String) -> Series { lookup(LabelKey(a, b, c, d, count: 4)) }

    /// The series of a five-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String) -> Series {
        if let key = shortKey(a, b, c, d, count: 5) { return find(key) }
        return lookup(LabelKey(a, b, c, d, e, count: 5))
    }
    /// The series of a six-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String) -> Series {
        if let key = shortKey(a, b, c, d, count: 6) { return find(key) }
        return lookup(LabelKey(a, b, c, d, e, f, count: 6))
    }
    /// The series of a seven-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String, _ g: String) -> Series {
        if let key = shortKey(a, b, c, d, count: 7) { return find(key) }
        return lookup(LabelKey(a, b, c, d, e, f, g, count: 7))
    }
    /// The series of an eight-label family; no array is built for the lookup.
    public func labels(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String, _ g: String,
                       _ h: String) -> Series {
        if let key = shortKey(a, b, c, d, count: 8) { return find(key) }
        return lookup(LabelKey(a, b, c, d, e, f, g, h, count: 8))
    }

    /// The series for these label values, in the order of `registered.labelNames`.
    public func labels(_ values: [String]) -> Series { lookup(LabelKey(values)) }

    /// The key of a wide call whose view keeps at most its first four labels (the usual case for
    /// a catalog family: its opt-in labels are last and off): built without the values past the
    /// kept ones, so that the key has no tail to fill and release. Nil when the call must go
    /// through `lookup` (wrong count, no labels kept, or other labels kept).
    @inline(__always)
    private func shortKey(_ a: String, _ b: String, _ c: String, _ d: String, count: Int) -> LabelKey? {
        guard count == inputLabelCount, unlabelled == nil, let kept = keptPrefix, kept <= 4 else { return nil }
        return LabelKey(a, b, c, d, count: kept)
    }

    private func lookup(_ key: consuming LabelKey) -> Series {
        guard key.count == inputLabelCount else {
            health.rejectLabelCount(key.count)
            return detached
        }
        if let unlabelled { return unlabelled }
        if let keptPrefix {
            key.truncate(to: keptPrefix)
            return find(key)
        }
        if let projection { return find(key.projected(projection)) }
        return find(key)
    }

    private func find(_ key: LabelKey) -> Series {
        let hash = key.hashValue
        let (series, overflowed) = state.withLock { s -> (Series, Bool) in
            if let existing = s.byValues.find(key, hash: hash) { return (existing, false) }
            if s.byValues.count >= cardinalityLimit {
                if let o = s.overflow { return (o, true) }
                let o = Series(context: SeriesContext(
                    info: info, labels: LabelSet(names: ["otel_metric_overflow"], values: ["true"]),
                    id: SeriesIDs.make(), createdNanoseconds: WallClock.nowNanoseconds(), hub: hub, health: health))
                s.overflow = o
                s.ordered.append(o)
                return (o, true)
            }
            let values = key.values
            let created = Series(context: SeriesContext(
                info: info, labels: LabelSet(names: info.labelNames, values: values),
                id: SeriesIDs.make(), createdNanoseconds: WallClock.nowNanoseconds(), hub: hub, health: health))
            s.byValues.insert(created, values: values, hash: hash)
            s.ordered.append(created)
            return (created, false)
        }
        if overflowed { health.overflow(limit: cardinalityLimit) }
        return series
    }

    /// The only series of a family without (exported) labels. For a labelled family this is the
    /// detached series, whose updates are discarded and counted.
    public var series: Series {
        if let unlabelled { return unlabelled }
        health.rejectLabelCount(0)
        return detached
    }

    /// Number of live series, the overflow series included.
    public var seriesCount: Int { state.withLock { $0.ordered.count } }

    /// All series in creation order (a copy of the references; the lock is held only for the copy).
    public var allSeries: [Series] { state.withLock { $0.ordered } }

    func snapshot(takingNativeIntervals: Bool = false) -> FamilySnapshot {
        let list = allSeries
        var out: [SeriesSnapshot] = []
        out.reserveCapacity(list.count)
        let intervals = takingNativeIntervals && info.nativeHistogram != nil
        for s in list {
            var snapshot = SeriesSnapshot(id: s.context.id, labels: s.context.labels, value: s.snapshotValue(),
                                          startNanoseconds: s.context.createdNanoseconds,
                                          exemplars: s.snapshotExemplars())
            if intervals, let h = s as? HistogramSeries {
                let (cumulative, interval) = h.takeNativeInterval()
                snapshot.value = .histogram(cumulative)
                snapshot.nativeInterval = interval
            }
            out.append(snapshot)
        }
        return FamilySnapshot(info: info, series: out)
    }
}

extension MetricFamily where Series == CounterSeries {
    /// Increments the series for `labels` by `amount`.
    @inlinable public func increment(by amount: Int = 1, labels values: [String]) { labels(values).increment(by: amount) }
    /// Increments the series for `labels` by a fractional `amount`.
    @inlinable public func increment(by amount: Double, labels values: [String]) { labels(values).increment(by: amount) }
}

extension MetricFamily where Series == HistogramSeries {
    /// Observes `value` on the series for `labels`.
    @inlinable public func observe(_ value: Double, labels values: [String]) { labels(values).observe(value) }
}

extension MetricFamily where Series == GaugeSeries {
    /// Sets the series for `labels` to `value`.
    @inlinable public func set(_ value: Double, labels values: [String]) { labels(values).set(value) }
}

/// Type-erased access to a family, for the registry.
protocol AnyMetricFamily: Sendable {
    var info: MetricFamilyInfo { get }
    var registered: MetricFamilyInfo { get }
    var isDenied: Bool { get }
    var health: FamilyHealth { get }
    var live: LiveFamily? { get }
    func snapshot(takingNativeIntervals: Bool) -> FamilySnapshot
}

extension MetricFamily: AnyMetricFamily {
    var live: LiveFamily? {
        if let f = self as? CounterFamily { return .counter(f) }
        if let f = self as? GaugeFamily { return .gauge(f) }
        if let f = self as? HistogramFamily { return .histogram(f) }
        return nil
    }
}

/// A registered family, typed, for readers that render live series without building a
/// snapshot (the Prometheus encoder): they read each series' value in place.
public enum LiveFamily: Sendable {
    /// A counter family.
    case counter(CounterFamily)
    /// A gauge family.
    case gauge(GaugeFamily)
    /// A histogram family.
    case histogram(HistogramFamily)

    /// The family's description.
    public var info: MetricFamilyInfo {
        switch self {
        case .counter(let f): f.info
        case .gauge(let f): f.info
        case .histogram(let f): f.info
        }
    }

    /// The family as registered, before views: lookups take values in its label order.
    public var registered: MetricFamilyInfo {
        switch self {
        case .counter(let f): f.registered
        case .gauge(let f): f.registered
        case .histogram(let f): f.registered
        }
    }
}
