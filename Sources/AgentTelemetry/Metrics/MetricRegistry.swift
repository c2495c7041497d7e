import Logging
import Synchronization

/// Holds every metric family of one telemetry instance and produces snapshots for exporters.
///
/// Registration validates names against the Prometheus rules and returns the existing family
/// when the same name is registered again with the same type, labels (and buckets);
/// any difference is an error, never a silent second family.
///
/// Views (``MetricViews``) shape families as they are registered: a denied family records
/// nothing, a renamed one is exported under its new name, dropped labels merge series, and the
/// common labels travel with every snapshot for the exporters to write.
///
/// A snapshot copies series references under each family's lock for a moment and then reads
/// values without holding any lock, so a large exposition does not stall updates.
public final class MetricRegistry: Sendable {
    /// Series per family before new label combinations go to the overflow series.
    public let cardinalityLimit: Int
    /// The views applied to every registration, and the common labels.
    public let views: MetricViews
    /// The common labels sorted by name (empty without views): exporters write them on every series.
    public let commonLabels: LabelSet
    /// The common labels as OTLP resource attributes: keys as configured (dotted keys stay dotted).
    public let commonAttributes: LabelSet
    let logger: Logger
    let hub = UpdateHub()
    private let families = Mutex<Families>(Families())
    private let collectors = Mutex<[@Sendable () -> Void]>([])

    struct Families {
        /// By registered name (before views), denied families included.
        var byName: [String: any AnyMetricFamily] = [:]
        /// Exported families (not denied), sorted by exported name.
        var sorted: [any AnyMetricFamily] = []
        /// Exported name → registered name, to refuse two families under one name.
        var exported: [String: String] = [:]
    }

    /// Creates an empty registry.
    /// - Parameters:
    ///   - cardinalityLimit: series per family before overflow (default 2000, as the OpenTelemetry SDKs).
    ///   - views: rules applied to every family as it is registered, and common labels.
    ///   - logger: where refusals and overflows are reported, once each per family.
    public init(cardinalityLimit: Int = 2000, views: MetricViews = .none,
                logger: Logger = Logger(label: "agent-telemetry.registry")) {
        self.cardinalityLimit = max(1, cardinalityLimit)
        self.views = views
        self.commonLabels = views.commonLabelSet
        self.commonAttributes = views.commonAttributeSet
        self.logger = logger
    }

    /// Registers (or returns the existing) counter family. The name should end in `_total`.
    public func counter(
        _ name: String, help: String, unit: MetricUnit? = nil, labelNames: [String] = [], otlpName: String? = nil
    ) throws(MetricRegistrationError) -> CounterFamily {
        try register(MetricFamilyInfo(name: name, help: help, type: .counter, unit: unit, labelNames: labelNames, otlpName: otlpName))
    }

    /// Registers (or returns the existing) gauge family.
    public func gauge(
        _ name: String, help: String, unit: MetricUnit? = nil, labelNames: [String] = [], otlpName: String? = nil
    ) throws(MetricRegistrationError) -> GaugeFamily {
        try register(MetricFamilyInfo(name: name, help: help, type: .gauge, unit: unit, labelNames: labelNames, otlpName: otlpName))
    }

    /// Registers (or returns the existing) histogram family with explicit bucket upper bounds.
    public func histogram(
        _ name: String, help: String, unit: MetricUnit? = nil, labelNames: [String] = [],
        buckets: [Double] = Buckets.agentLatency, otlpName: String? = nil
    ) throws(MetricRegistrationError) -> HistogramFamily {
        if let problem = Buckets.problem(buckets) { throw .invalidBuckets(metric: name, reason: problem) }
        return try register(MetricFamilyInfo(
            name: name, help: help, type: .histogram, unit: unit, labelNames: labelNames, buckets: buckets, otlpName: otlpName))
    }

    /// Registers a family described by `info` (its `type` must match `Series`), shaped by the
    /// registry's views. Registering the same name again returns the same family when `info`
    /// agrees with the first registration.
    public func register<Series: MetricSeries>(_ info: MetricFamilyInfo) throws(MetricRegistrationError) -> MetricFamily<Series> {
        try MetricNameRules.validate(metric: info.name, labelNames: info.labelNames)
        if info.type == .histogram, let problem = Buckets.problem(info.buckets) {
            throw .invalidBuckets(metric: info.name, reason: problem)
        }
        let view = views.resolvesAnything ? views.resolve(info.name) : ResolvedView()
        let exported = try Self.apply(view, to: info)
        let result: Result<MetricFamily<Series>, MetricRegistrationError> = families.withLock { f in
            if let existing = f.byName[info.name] {
                let e = existing.registered
                if e.type != info.type { return .failure(.typeConflict(metric: info.name, existing: e.type, requested: info.type)) }
                if e.labelNames != info.labelNames {
                    return .failure(.labelConflict(metric: info.name, existing: e.labelNames, requested: info.labelNames))
                }
                if e.buckets != info.buckets { return .failure(.bucketConflict(metric: info.name)) }
                guard let typed = existing as? MetricFamily<Series> else {
                    return .failure(.typeConflict(metric: info.name, existing: e.type, requested: info.type))
                }
                return .success(typed)
            }
            if !view.denied, let owner = f.exported[exported.name] {
                return .failure(.viewConflict(metric: info.name, reason: "a view renames it to \"\(exported.name)\", the exported name of \"\(owner)\""))
            }
            let family = MetricFamily<Series>(
                info: exported, registered: info, cardinalityLimit: view.cardinalityLimit ?? cardinalityLimit,
                denied: view.denied, hub: hub, health: FamilyHealth(info: exported, registeredLabels: info.labelNames, logger: logger))
            f.byName[info.name] = family
            if !view.denied {
                f.exported[exported.name] = info.name
                let index = f.sorted.firstIndex { $0.info.name > exported.name } ?? f.sorted.endIndex
                f.sorted.insert(family, at: index)
            }
            return .success(family)
        }
        return try result.get()
    }

    /// The exported description of `info` under `view`.
    private static func apply(_ view: ResolvedView, to info: MetricFamilyInfo) throws(MetricRegistrationError) -> MetricFamilyInfo {
        if view.denied || (view.isIdentity && info.optInLabelNames.isEmpty) { return info }
        let name = view.rename ?? info.name
        // Opt-in labels are left out unless a view opts in; dropped labels are left out always.
        let optedOut = Set(info.optInLabelNames).subtracting(view.optInLabels)
        let kept = info.labelNames.indices.filter {
            !view.dropLabels.contains(info.labelNames[$0]) && !optedOut.contains(info.labelNames[$0])
        }
        let labels = kept.map { info.labelNames[$0] }
        let keys = kept.map { info.attributeKeys[$0] }
        let bounds = info.type == .histogram ? (view.buckets ?? info.buckets) : info.buckets
        let isNative = info.type == .histogram && view.aggregation.hasNativeBuckets
        // A native-only histogram exports no classic bounds; its exemplars are still spread by them.
        let buckets = isNative && !view.aggregation.hasClassicBuckets ? [] : bounds
        if isNative, let problem = view.native.problem {
            throw .viewConflict(metric: info.name, reason: "its native histogram settings are invalid: \(problem)")
        }
        if view.rename != nil {
            if let problem = MetricNameRules.metricNameProblem(name) {
                throw .viewConflict(metric: info.name, reason: "the new name \"\(name)\" is invalid: \(problem)")
            }
        }
        if info.type == .histogram, let problem = Buckets.problem(bounds) {
            throw .invalidBuckets(metric: name, reason: problem)
        }
        // A renamed metric keeps no OpenTelemetry name of its own: OTLP exports the new name.
        let otlpName = view.rename == nil ? info.otlpName : nil
        return MetricFamilyInfo(name: name, help: info.help, type: info.type, unit: info.unit, labelNames: labels,
                                buckets: buckets, otlpName: otlpName, attributeKeys: keys,
                                nativeHistogram: isNative ? view.native : nil, exemplarBounds: bounds)
    }

    /// The family registered under `name` (its name before views), if any.
    public func registeredFamily(named name: String) -> (exported: MetricFamilyInfo, denied: Bool)? {
        families.withLock { f in f.byName[name].map { ($0.info, $0.isDenied) } }
    }

    /// The names of all registered families, sorted.
    public var familyNames: [String] { families.withLock { $0.sorted.map(\.info.name) } }

    /// Runs `collector` at the start of every snapshot, to refresh values sampled on demand
    /// (process statistics, queue depths). It must be fast and must not take a snapshot itself.
    public func addCollector(_ collector: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// Attaches a listener that sees every update as it happens (streaming exporters).
    public func addUpdateListener(_ listener: any MetricUpdateListener) { hub.add(listener) }

    /// Detaches a listener.
    public func removeUpdateListener(_ listener: any MetricUpdateListener) { hub.remove(listener) }

    /// Runs the collectors without taking a snapshot: keeps sampled values (process statistics,
    /// session expiry) current for exporters that stream updates instead of reading snapshots.
    public func runCollectors() {
        for c in collectors.withLock({ $0 }) { c() }
    }

    /// A consistent read of every family, sorted by name, including the registry's own
    /// health families (`agent_telemetry_metric_overflow_total`, `agent_telemetry_metric_rejected_updates_total`).
    public func snapshot() -> MetricsSnapshot { snapshot(takingNativeIntervals: false) }

    /// A snapshot in which every native histogram series also gives the observations since the
    /// previous such snapshot (`SeriesSnapshot.nativeInterval`), its interval then starting again
    /// at the finest schema: what lets an OTLP delta export reset buckets and scale. For one
    /// reader per registry (the OTLP exporter with delta temporality).
    package func snapshot(takingNativeIntervals: Bool) -> MetricsSnapshot {
        runCollectors()
        let list = families.withLock { $0.sorted }
        var out: [FamilySnapshot] = []
        out.reserveCapacity(list.count + 2)
        for family in list { out.append(family.snapshot(takingNativeIntervals: takingNativeIntervals)) }
        for health in healthFamilies(list) { insertSorted(health, into: &out) }
        return MetricsSnapshot(timestampNanoseconds: WallClock.nowNanoseconds(), families: out, commonLabels: commonLabels)
    }

    /// Runs the collectors and returns the live families sorted by name, plus the registry's own
    /// health families (small, as snapshots), for renderers that read series in place. Holding the
    /// result keeps no lock.
    public func liveView() -> (families: [LiveFamily], health: [FamilySnapshot]) {
        runCollectors()
        let list = families.withLock { $0.sorted }
        return (list.compactMap(\.live), healthFamilies(list))
    }

    /// `agent_telemetry_metric_overflow_total` and `agent_telemetry_metric_rejected_updates_total`,
    /// computed from the families' refusal counters; empty families are left out.
    private func healthFamilies(_ list: [any AnyMetricFamily]) -> [FamilySnapshot] {
        var overflowSeries: [SeriesSnapshot] = []
        var rejectedSeries: [SeriesSnapshot] = []
        for family in list {
            let h = family.health
            let overflowed = h.overflowed.load(ordering: .relaxed)
            if overflowed > 0 {
                overflowSeries.append(SeriesSnapshot(
                    id: h.selfSeriesID &+ 1, labels: LabelSet(names: ["metric"], values: [family.info.name]),
                    value: .counter(Double(overflowed)), startNanoseconds: h.createdNanoseconds))
            }
            let badValues = h.rejectedValues.load(ordering: .relaxed)
            if badValues > 0 {
                rejectedSeries.append(SeriesSnapshot(
                    id: h.selfSeriesID &+ 2, labels: LabelSet(names: ["metric", "reason"], values: [family.info.name, "invalid_value"]),
                    value: .counter(Double(badValues)), startNanoseconds: h.createdNanoseconds))
            }
            let badLabels = h.rejectedLabelCounts.load(ordering: .relaxed)
            if badLabels > 0 {
                rejectedSeries.append(SeriesSnapshot(
                    id: h.selfSeriesID &+ 3, labels: LabelSet(names: ["metric", "reason"], values: [family.info.name, "label_count"]),
                    value: .counter(Double(badLabels)), startNanoseconds: h.createdNanoseconds))
            }
        }
        var out: [FamilySnapshot] = []
        if !overflowSeries.isEmpty { out.append(FamilySnapshot(info: Self.overflowInfo, series: overflowSeries)) }
        if !rejectedSeries.isEmpty { out.append(FamilySnapshot(info: Self.rejectedInfo, series: rejectedSeries)) }
        return out
    }

    private func insertSorted(_ family: FamilySnapshot, into list: inout [FamilySnapshot]) {
        if let existing = list.firstIndex(where: { $0.info.name == family.info.name }) {
            list[existing] = family
            return
        }
        let index = list.firstIndex { $0.info.name > family.info.name } ?? list.endIndex
        list.insert(family, at: index)
    }

    /// `agent_telemetry_metric_overflow_total{metric}`.
    static let overflowMetric = MetricDescriptor(
        "agent_telemetry_metric_overflow_total", .counter,
        help: "Lookups of new label combinations that went to the otel_metric_overflow series because the metric reached its cardinality limit.",
        unit: .annotation("update"), labels: ["metric"], category: .selfObservability, namespaced: false, origin: .pipeline)
    /// `agent_telemetry_metric_rejected_updates_total{metric,reason}`.
    static let rejectedMetric = MetricDescriptor(
        "agent_telemetry_metric_rejected_updates_total", .counter,
        help: "Metric updates refused: invalid values (negative counter increments, NaN) or a wrong number of label values.",
        unit: .annotation("update"), labels: ["metric", "reason"], category: .selfObservability, namespaced: false, origin: .pipeline)

    /// The registry's own metrics (computed at each snapshot from the families' refusal counters).
    public static let selfMetrics: [MetricDescriptor] = [overflowMetric, rejectedMetric]

    static let overflowInfo = overflowMetric.familyInfo()
    static let rejectedInfo = rejectedMetric.familyInfo()
}
