import Logging
import Synchronization

/// Counts what a family refused, and logs each kind of refusal once.
final class FamilyHealth: Sendable {
    let info: MetricFamilyInfo
    let logger: Logger
    /// Updates refused because the value was negative (counters), NaN or infinite.
    let rejectedValues = Atomic<Int>(0)
    /// Lookups refused because the number of label values did not match the label names.
    let rejectedLabelCounts = Atomic<Int>(0)
    /// Lookups of new label combinations that went to the overflow series.
    let overflowed = Atomic<Int>(0)
    private let logged = Atomic<UInt8>(0)
    /// Base of the ids of the registry's own series about this family.
    let selfSeriesID: UInt64
    /// When the family was registered.
    let createdNanoseconds: UInt64

    /// The label names a lookup takes (the registered ones, before views drop any).
    let registeredLabels: [String]

    init(info: MetricFamilyInfo, registeredLabels: [String]? = nil, logger: Logger) {
        self.info = info
        self.registeredLabels = registeredLabels ?? info.labelNames
        self.logger = logger
        // Reserve four ids: this one plus three for the health series.
        self.selfSeriesID = SeriesIDs.next.wrappingAdd(4, ordering: .relaxed).oldValue
        self.createdNanoseconds = WallClock.nowNanoseconds()
    }

    private func once(_ bit: UInt8) -> Bool {
        let old = logged.bitwiseOr(bit, ordering: .relaxed).oldValue
        return old & bit == 0
    }

    func rejectValue(_ value: Double, why: String) {
        rejectedValues.wrappingAdd(1, ordering: .relaxed)
        if once(1) {
            logger.warning("rejected update to \(info.name): \(why) (value \(value)); further rejections are counted in agent_telemetry_metric_rejected_updates_total without logging")
        }
    }

    func rejectLabelCount(_ got: Int) {
        rejectedLabelCounts.wrappingAdd(1, ordering: .relaxed)
        if once(2) {
            logger.warning("rejected label values for \(info.name): expected \(registeredLabels.count) values for labels \(registeredLabels), got \(got); the update is discarded and counted in agent_telemetry_metric_rejected_updates_total")
        }
    }

    func overflow(limit: Int) {
        overflowed.wrappingAdd(1, ordering: .relaxed)
        if once(4) {
            logger.warning("metric \(info.name) reached its cardinality limit of \(limit) series; new label combinations are recorded in the series otel_metric_overflow=\"true\"")
        }
    }
}

/// What every series is created with.
///
/// Kept small because there is one per series (56 bytes): the family's description is reached
/// through `health`, which every series of a family shares, instead of a reference of its own.
public struct SeriesContext: Sendable {
    /// This series' labels.
    public let labels: LabelSet
    /// A process-unique id, stable for the life of the series (exporters key state by it).
    public let id: UInt64
    /// When the series was created, nanoseconds since the epoch (the start of cumulative data).
    public let createdNanoseconds: UInt64
    let hub: UpdateHub
    /// The family's refusal counters and description, shared by its series.
    let health: FamilyHealth

    /// The family's description.
    public var info: MetricFamilyInfo { health.info }

    init(info: MetricFamilyInfo, labels: LabelSet, id: UInt64, createdNanoseconds: UInt64, hub: UpdateHub, health: FamilyHealth) {
        self.labels = labels
        self.id = id
        self.createdNanoseconds = createdNanoseconds
        self.hub = hub
        // The registry creates a family's health from the family's own info; a context for another
        // description (not done by this package) gets counters of its own rather than a wrong name.
        self.health = health.info === info ? health : FamilyHealth(info: info, logger: health.logger)
    }
}

enum SeriesIDs {
    static let next = Atomic<UInt64>(1)
    static func make() -> UInt64 { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
