import AgentTelemetry
import Synchronization

/// Turns registry updates into StatsD lines on the updating thread and queues them.
///
/// Cost per update: one lock and dictionary lookup for the series' pre-rendered bytes, one line
/// allocation, one short queue lock; with sampling, a random number first. Never blocks.
final class StatsDUpdateListener: MetricUpdateListener {
    private let encoder: StatsDLineEncoder
    private let sampleRate: Double
    private let queue: StatsDLineQueue
    /// Rendered series by id; `nil` marks an excluded series (the exporter's own metrics).
    private let renderings = Mutex<[UInt64: StatsDSeriesRendering?]>([:])

    init(encoder: StatsDLineEncoder, sampleRate: Double, queue: StatsDLineQueue) {
        self.encoder = encoder
        self.sampleRate = sampleRate
        self.queue = queue
    }

    private func rendering(_ context: SeriesContext) -> StatsDSeriesRendering? {
        if let cached = renderings.withLock({ $0[context.id] }) { return cached }
        let made: StatsDSeriesRendering? =
            context.info.name.hasPrefix(StatsDHealth.namePrefix)
            ? nil : encoder.render(info: context.info, labels: context.labels)
        renderings.withLock { $0[context.id] = .some(made) }
        return made
    }

    @inline(__always)
    private func sampledOut() -> Bool {
        sampleRate < 1 && Double.random(in: 0..<1) >= sampleRate
    }

    func counterIncremented(_ series: CounterSeries, by amount: Double) {
        guard let r = rendering(series.context), !sampledOut() else { return }
        var line: [UInt8] = []
        line.reserveCapacity(r.head.count + r.tail.count + 24)
        if encoder.appendCounter(r, increment: amount, sampleRate: sampleRate, to: &line) {
            queue.enqueue(line, lines: 1)
        }
    }

    func gaugeChanged(_ series: GaugeSeries, to value: Double) {
        guard let r = rendering(series.context) else { return }
        var line: [UInt8] = []
        line.reserveCapacity(2 * (r.head.count + r.tail.count) + 32)
        if encoder.appendGauge(r, value: value, to: &line) {
            queue.enqueue(line, lines: value < 0 ? 2 : 1)
        }
    }

    func histogramObserved(_ series: HistogramSeries, value: Double) {
        guard let r = rendering(series.context), !sampledOut() else { return }
        var line: [UInt8] = []
        line.reserveCapacity(r.head.count + r.tail.count + 32)
        if encoder.appendObservation(r, value: value, sampleRate: sampleRate, to: &line) {
            queue.enqueue(line, lines: 1)
        }
    }
}
