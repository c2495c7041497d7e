import Synchronization

/// Receives every update made to any series of a registry, as it happens.
///
/// Streaming exporters (StatsD) use this; pull and periodic exporters read snapshots instead.
/// Methods are called on the updating thread, so they must be short and must not block:
/// enqueue and return.
public protocol MetricUpdateListener: AnyObject, Sendable {
    /// `series` was incremented by `amount` (> 0).
    func counterIncremented(_ series: CounterSeries, by amount: Double)
    /// `series` now holds `value`.
    func gaugeChanged(_ series: GaugeSeries, to value: Double)
    /// `value` was observed on `series`.
    func histogramObserved(_ series: HistogramSeries, value: Double)
}

/// Fans updates out to listeners. The hot path pays one relaxed atomic load when none is attached.
final class UpdateHub: Sendable {
    let active = Atomic<Bool>(false)
    let listeners = Mutex<[any MetricUpdateListener]>([])

    @inline(__always) var isActive: Bool { active.load(ordering: .relaxed) }

    // The flag is written under the same lock as the list, so a concurrent add and remove
    // cannot leave a listener attached with the flag off.
    func add(_ l: any MetricUpdateListener) {
        listeners.withLock { list in
            list.append(l)
            active.store(true, ordering: .releasing)
        }
    }

    func remove(_ l: any MetricUpdateListener) {
        listeners.withLock { list in
            list.removeAll { $0 === l }
            active.store(!list.isEmpty, ordering: .releasing)
        }
    }

    func counter(_ s: CounterSeries, _ amount: Double) {
        for l in listeners.withLock({ $0 }) { l.counterIncremented(s, by: amount) }
    }
    func gauge(_ s: GaugeSeries, _ value: Double) {
        for l in listeners.withLock({ $0 }) { l.gaugeChanged(s, to: value) }
    }
    func histogram(_ s: HistogramSeries, _ value: Double) {
        for l in listeners.withLock({ $0 }) { l.histogramObserved(s, value: value) }
    }
}
