import AgentTelemetry
import Synchronization

/// Aggregates registry updates per series between two flushes, then turns them into lines
/// (``StatsDConfiguration/aggregation``, on by default).
///
/// Per update: one short lock, one dictionary lookup by series id, an add (counter), a store
/// (gauge) or an append (histogram value). No line is formatted and nothing is allocated for a
/// counter or gauge series already seen, which is what makes StatsD cheap for its host at
/// thousands of events per second: a flush sends one line per counter and gauge series that
/// changed, however many updates it had. Totals are exact: counters are never sampled here;
/// histogram values are sampled with ``StatsDConfiguration/sampleRate`` as without aggregation.
///
/// Bounded: at most `capacity` histogram values wait for a flush; beyond that a value is dropped
/// and counted as `queue_full`, and at half of it the sender is woken to flush early. Counter and
/// gauge state is one entry per series, which the registry's cardinality limit already bounds.
final class StatsDAggregator: MetricUpdateListener {
    private struct Entry {
        /// `nil` for a series that is never sent (the exporter's own metrics).
        let rendering: StatsDSeriesRendering?
        var counter: Double = 0
        var gauge: Double = 0
        var hasGauge = false
        var values: [Double] = []
        /// Listed in `State.dirty` since the last flush.
        var dirty = false
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var dirty: [UInt64] = []
        var pendingValues = 0
    }

    private let encoder: StatsDLineEncoder
    private let sampleRate: Double
    private let capacity: Int
    private let maxLineBytes: Int
    private let queue: StatsDLineQueue
    private let state = Mutex(State())

    init(encoder: StatsDLineEncoder, sampleRate: Double, capacity: Int, maxLineBytes: Int, queue: StatsDLineQueue) {
        self.encoder = encoder
        self.sampleRate = sampleRate
        self.capacity = max(1, capacity)
        self.maxLineBytes = max(1, maxLineBytes)
        self.queue = queue
    }

    /// What an update did.
    private enum Outcome: Sendable {
        case applied
        /// A histogram value was kept; `wake` when the waiting values reached half the capacity.
        case kept(wake: Bool)
        /// A histogram value was dropped: `capacity` values already wait.
        case dropped
    }

    private enum Lookup: Sendable {
        case missing, excluded, done(Outcome)
    }

    /// Applies `change` to the series' entry (and the count of waiting histogram values) under
    /// the lock, in place; renders the series the first time it is seen, outside the lock.
    /// Returns what `change` returns, or `nil` for a series that is never sent.
    @inline(__always)
    private func update(_ context: SeriesContext, _ change: (inout Entry, inout Int) -> Outcome) -> Outcome? {
        let id = context.id
        switch state.withLock({ s in Self.apply(id, &s, change) }) {
        case .done(let outcome): return outcome
        case .excluded: return nil
        case .missing: break
        }
        let made: StatsDSeriesRendering? = context.info.name.hasPrefix(StatsDHealth.namePrefix)
            ? nil : encoder.render(info: context.info, labels: context.labels)
        let second = state.withLock { s -> Lookup in
            if s.entries[id] == nil { s.entries[id] = Entry(rendering: made) }
            return Self.apply(id, &s, change)
        }
        if case .done(let outcome) = second { return outcome }
        return nil
    }

    @inline(__always)
    private static func apply(_ id: UInt64, _ s: inout State, _ change: (inout Entry, inout Int) -> Outcome) -> Lookup {
        guard let i = s.entries.index(forKey: id) else { return .missing }
        guard s.entries.values[i].rendering != nil else { return .excluded }
        if !s.entries.values[i].dirty {
            s.entries.values[i].dirty = true
            s.dirty.append(id)
        }
        return .done(change(&s.entries.values[i], &s.pendingValues))
    }

    func counterIncremented(_ series: CounterSeries, by amount: Double) {
        guard amount.isFinite else { return }
        _ = update(series.context) { entry, _ in
            entry.counter += amount
            return .applied
        }
    }

    func gaugeChanged(_ series: GaugeSeries, to value: Double) {
        guard value.isFinite else { return }
        _ = update(series.context) { entry, _ in
            entry.gauge = value
            entry.hasGauge = true
            return .applied
        }
    }

    func histogramObserved(_ series: HistogramSeries, value: Double) {
        guard value.isFinite, !(sampleRate < 1 && Double.random(in: 0..<1) >= sampleRate) else { return }
        let capacity = self.capacity
        let outcome = update(series.context) { entry, pending in
            guard pending < capacity else { return .dropped }
            entry.values.append(value)
            pending += 1
            return .kept(wake: pending == capacity / 2 + 1)
        }
        switch outcome {
        case .dropped: queue.droppedLines.wrappingAdd(1, ordering: .relaxed)
        case .kept(wake: true): queue.requestWake()
        default: break
        }
    }

    /// Moves what accumulated since the last call onto the queue as lines, in the order the
    /// series first changed: a counter's sum, a gauge's last value, a histogram's values.
    func flush() {
        let changed: [(StatsDSeriesRendering, counter: Double, gauge: Double?, values: [Double])] = state.withLock { s in
            var out: [(StatsDSeriesRendering, counter: Double, gauge: Double?, values: [Double])] = []
            out.reserveCapacity(s.dirty.count)
            for id in s.dirty {
                guard var entry = s.entries[id], let rendering = entry.rendering else { continue }
                out.append((rendering, entry.counter, entry.hasGauge ? entry.gauge : nil, entry.values))
                entry.counter = 0
                entry.hasGauge = false
                entry.values = []
                entry.dirty = false
                s.entries[id] = entry
            }
            s.dirty.removeAll(keepingCapacity: true)
            s.pendingValues = 0
            return out
        }
        var lines: [[UInt8]] = []
        lines.reserveCapacity(changed.count)
        for (rendering, counter, gauge, values) in changed {
            switch rendering.kind {
            case .counter:
                var line: [UInt8] = []
                if counter != 0, encoder.appendCounter(rendering, increment: counter, to: &line) { lines.append(line) }
            case .gauge:
                var line: [UInt8] = []
                if let gauge, encoder.appendGauge(rendering, value: gauge, to: &line) { lines.append(line) }
            case .observation:
                lines += encoder.observationLines(rendering, values: values, sampleRate: sampleRate, maxLineBytes: maxLineBytes)
            }
        }
        queue.enqueueFlushed(lines)
    }
}
