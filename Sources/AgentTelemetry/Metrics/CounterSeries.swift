import Synchronization

/// One counter series: a monotonically increasing total.
///
/// Integer increments are a single relaxed atomic add (no lock, no allocation); fractional
/// increments use a compare-and-swap loop. Negative, NaN or infinite increments are refused,
/// counted and logged once; they never crash the caller.
public final class CounterSeries: MetricSeries {
    /// The series' context: family info, labels, id, creation time.
    public let context: SeriesContext
    @usableFromInline let integral = Atomic<UInt64>(0)
    @usableFromInline let fractionalBits = Atomic<UInt64>(0)
    /// The latest exemplar, allocated with the first traced increment.
    let exemplarStorage = ExemplarStorage()

    /// Creates a series; the registry does this, user code asks a family for its series.
    public init(context: SeriesContext) {
        self.context = context
    }

    /// Adds one.
    @inlinable public func increment() { increment(by: 1 as Int) }

    /// Adds a non-negative integer amount.
    public func increment(by amount: Int) {
        guard amount >= 0 else {
            context.health.rejectValue(Double(amount), why: "counters can only increase")
            return
        }
        integral.wrappingAdd(UInt64(amount), ordering: .relaxed)
        if context.hub.isActive { context.hub.counter(self, Double(amount)) }
    }

    /// Adds a non-negative finite amount.
    public func increment(by amount: Double) {
        guard amount >= 0, amount.isFinite else {
            context.health.rejectValue(amount, why: amount.isNaN ? "NaN is not a count" : "counters can only increase by a finite non-negative amount")
            return
        }
        var old = fractionalBits.load(ordering: .relaxed)
        while true {
            let sum = Double(bitPattern: old) + amount
            guard sum.isFinite else {
                // Finite amounts whose total overflows: refused like an infinite amount, so the
                // counter never exports +Inf (and a delta never becomes NaN).
                context.health.rejectValue(amount, why: "the counter's total would no longer be finite")
                return
            }
            let (exchanged, current) = fractionalBits.weakCompareExchange(
                expected: old, desired: sum.bitPattern, successOrdering: .relaxed, failureOrdering: .relaxed)
            if exchanged { break }
            old = current
        }
        if context.hub.isActive { context.hub.counter(self, amount) }
    }

    /// Adds one, and keeps `exemplar` (when given) as the series' latest exemplar.
    @inlinable public func increment(exemplar: TraceReference?) { increment(by: 1 as Int, exemplar: exemplar) }

    /// Adds a non-negative integer amount, and keeps `exemplar` (when given) with the amount as
    /// its value. Without an exemplar this is `increment(by:)`: no lock, no clock read.
    public func increment(by amount: Int, exemplar: TraceReference?) {
        increment(by: amount)
        guard let exemplar, amount >= 0 else { return }
        exemplarStorage.store(Exemplar(trace: exemplar, value: Double(amount), timestampNanoseconds: WallClock.nowNanoseconds()), at: 0, of: 1)
    }

    /// Adds a non-negative finite amount, and keeps `exemplar` (when given) with the amount as its value.
    public func increment(by amount: Double, exemplar: TraceReference?) {
        increment(by: amount)
        guard let exemplar, amount >= 0, amount.isFinite else { return }
        exemplarStorage.store(Exemplar(trace: exemplar, value: amount, timestampNanoseconds: WallClock.nowNanoseconds()), at: 0, of: 1)
    }

    /// The latest exemplar, or nil when no traced increment happened.
    public var exemplar: Exemplar? { exemplarStorage.read(at: 0) }

    /// The current total.
    @inlinable public var value: Double {
        Double(integral.load(ordering: .relaxed)) + Double(bitPattern: fractionalBits.load(ordering: .relaxed))
    }

    /// The total when it is a whole number below 2^53 (no fractional increment so far, so
    /// `value` is exactly this integer), else nil: lets a text renderer skip floating point.
    @inlinable public var integralValue: UInt64? {
        guard fractionalBits.load(ordering: .relaxed) == 0 else { return nil }
        let i = integral.load(ordering: .relaxed)
        return i < 9_007_199_254_740_992 ? i : nil
    }

    /// The label set pre-rendered in Prometheus text form (see `LabelSet.prometheusText`);
    /// reads one field, without copying the whole context.
    @inlinable public var renderedLabels: [UInt8] { context.labels.prometheusText }

    /// When the series was created, nanoseconds since the epoch.
    @inlinable public var createdNanoseconds: UInt64 { context.createdNanoseconds }

    /// A point-in-time reading.
    public func snapshotValue() -> SeriesValue { .counter(value) }

    /// The latest exemplar as a one-element list, or empty.
    public func snapshotExemplars() -> [Exemplar?] { exemplarStorage.read() }
}
