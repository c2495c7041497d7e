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
public struct SeriesContext: Sendable {
    /// The family's description.
    public let info: MetricFamilyInfo
    /// This series' labels.
    public let labels: LabelSet
    /// A process-unique id, stable for the life of the series (exporters key state by it).
    public let id: UInt64
    /// When the series was created, nanoseconds since the epoch (the start of cumulative data).
    public let createdNanoseconds: UInt64
    let hub: UpdateHub
    let health: FamilyHealth
}

enum SeriesIDs {
    static let next = Atomic<UInt64>(1)
    static func make() -> UInt64 { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
