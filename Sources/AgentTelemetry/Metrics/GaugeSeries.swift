import Synchronization

/// One gauge series: a value that goes up and down.
///
/// `set` is one atomic store; `increment`/`decrement` use a compare-and-swap loop. NaN is refused
/// (counted, logged once); infinities are accepted because exposition formats can carry them.
public final class GaugeSeries: MetricSeries {
    /// The series' context: family info, labels, id, creation time.
    public let context: SeriesContext
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    /// Creates a series; the registry does this, user code asks a family for its series.
    public init(context: SeriesContext) {
        self.context = context
    }

    /// Sets the value.
    public func set(_ value: Double) {
        guard !value.isNaN else {
            context.health.rejectValue(value, why: "NaN cannot be set on a gauge")
            return
        }
        bits.store(value.bitPattern, ordering: .relaxed)
        if context.hub.isActive { context.hub.gauge(self, value) }
    }

    /// Sets the value from an integer.
    @inlinable public func set(_ value: Int) { set(Double(value)) }

    /// Adds `amount` (may be negative).
    public func increment(by amount: Double = 1) {
        guard amount.isFinite else {
            context.health.rejectValue(amount, why: "gauges change by finite amounts")
            return
        }
        var old = bits.load(ordering: .relaxed)
        var new: UInt64
        while true {
            let before = Double(bitPattern: old)
            let sum = before + amount
            guard sum.isFinite || !before.isFinite else {
                context.health.rejectValue(amount, why: "the gauge's value would no longer be finite")
                return
            }
            new = sum.bitPattern
            let (exchanged, current) = bits.weakCompareExchange(
                expected: old, desired: new, successOrdering: .relaxed, failureOrdering: .relaxed)
            if exchanged { break }
            old = current
        }
        if context.hub.isActive { context.hub.gauge(self, Double(bitPattern: new)) }
    }

    /// Subtracts `amount`.
    @inlinable public func decrement(by amount: Double = 1) { increment(by: -amount) }

    /// The current value.
    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    /// The label set pre-rendered in Prometheus text form (see `LabelSet.prometheusText`);
    /// reads one field, without copying the whole context.
    @inlinable public var renderedLabels: [UInt8] { context.labels.prometheusText }

    /// When the series was created, nanoseconds since the epoch.
    @inlinable public var createdNanoseconds: UInt64 { context.createdNanoseconds }

    /// A point-in-time reading.
    public func snapshotValue() -> SeriesValue { .gauge(value) }
}
