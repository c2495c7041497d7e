import AgentTelemetry
import CoreMetrics
import Logging
import Synchronization

/// A swift-metrics `MetricsFactory` that records into an AgentTelemetry `MetricRegistry`, so
/// libraries instrumented with swift-metrics come out of the same exporters as agent events.
///
/// Mapping:
/// - `Counter` and `FloatingPointCounter` → counter (`_total` appended when missing);
/// - `Meter`, and `Recorder` with `aggregate: false` → gauge;
/// - `Recorder` with `aggregate: true` → histogram (`defaultBuckets`);
/// - `Timer` → histogram in seconds (`_seconds` appended when missing, `timerBuckets`).
///
/// Labels and dimension names that are not valid Prometheus names are sanitised (invalid
/// characters become `_`). Dimension values become label values unchanged, under the registry's
/// cardinality limit. A metric whose dimension names differ from those first seen for the same
/// label is refused: its updates are discarded, counted in
/// `agent_telemetry_swift_metrics_rejected_total` and logged once — never a crash.
///
/// Exemplars: counters, timers and aggregating recorders ask `exemplarSource` for the trace
/// current in the recording task (by default the swift-distributed-tracing context, so a timer
/// recorded inside a traced request handler links to that request's trace). Without a context the
/// added cost is one task-local read per update.
public final class AgentTelemetryMetricsFactory: MetricsFactory, Sendable {
    /// `agent_telemetry_swift_metrics_rejected_total{metric}`.
    static let rejectedMetric = MetricDescriptor(
        "agent_telemetry_swift_metrics_rejected_total", .counter,
        help: "swift-metrics handlers that could not be registered (conflicting type or dimension names), by metric.",
        unit: .annotation("update"), labels: ["metric"], category: .selfObservability, namespaced: false, origin: .pipeline)

    /// The bridge's own metrics.
    public static var selfMetrics: [MetricDescriptor] { [rejectedMetric] }

    /// The registry the metrics go to.
    public let registry: MetricRegistry
    /// Buckets for aggregating recorders.
    public let defaultBuckets: [Double]
    /// Buckets for timers, in seconds.
    public let timerBuckets: [Double]
    /// Per-metric bucket overrides, keyed by the sanitised metric name.
    public let bucketOverrides: [String: [Double]]
    /// Where counters and histograms find the trace for their exemplars; nil records none.
    public let exemplarSource: (any ExemplarSource)?
    private let logger: Logger
    private let rejected: CounterFamily
    private let loggedRejections = Mutex<Set<String>>([])

    /// Creates the factory. Install it with `MetricsSystem.bootstrap(factory)`.
    public init(registry: MetricRegistry, defaultBuckets: [Double] = Buckets.agentLatency,
                timerBuckets: [Double] = Buckets.agentLatency, bucketOverrides: [String: [Double]] = [:],
                exemplarSource: (any ExemplarSource)? = ContextExemplarSource(),
                logger: Logger = Logger(label: "agent-telemetry.swift-metrics")) {
        self.registry = registry
        self.exemplarSource = exemplarSource
        self.defaultBuckets = defaultBuckets
        self.timerBuckets = timerBuckets
        self.bucketOverrides = bucketOverrides
        self.logger = logger
        self.rejected = registry.counter(Self.rejectedMetric)
    }

    /// Replaces every character outside `[a-zA-Z0-9_:]` with `_` and prefixes `_` when the name starts with a digit.
    public static func sanitize(_ name: String, allowColon: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        for (i, scalar) in name.unicodeScalars.enumerated() {
            let v = scalar.value
            let letter = (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || v == 0x5F
            let digit = v >= 0x30 && v <= 0x39
            if i == 0 && digit { out.append("_") }
            if letter || digit || (allowColon && v == 0x3A) { out.unicodeScalars.append(scalar) } else { out.append("_") }
        }
        if out.isEmpty { out = "_" }
        if out.hasPrefix("__") { out = "x" + out.dropFirst() }
        return out
    }

    private func split(_ dimensions: [(String, String)]) -> (names: [String], values: [String]) {
        // Sort by name so that the same dimensions in another order reach the same series.
        var seen = Set<String>()
        var pairs: [(String, String)] = []
        for (k, v) in dimensions.map({ (Self.sanitize($0.0, allowColon: false), $0.1) }).sorted(by: { $0.0 < $1.0 })
            where seen.insert(k).inserted && k != "le" && k != "quantile" {
            pairs.append((k, v))
        }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    private func refuse(_ name: String, _ error: any Error) {
        rejected.labels(name).increment()
        let first = loggedRejections.withLock { $0.insert(name).inserted }
        if first { logger.warning("swift-metrics metric \(name) cannot be registered: \(error); its updates are discarded") }
    }

    private func name(_ label: String, suffix: String) -> String {
        let base = Self.sanitize(label)
        return base.hasSuffix(suffix) ? base : base + suffix
    }

    /// One handler type serves both integer and floating-point counters.
    private func counterHandler(_ label: String, _ dimensions: [(String, String)]) -> BridgedCounter? {
        let n = name(label, suffix: "_total")
        let (names, values) = split(dimensions)
        do {
            return BridgedCounter(try registry.counter(n, help: "swift-metrics counter \(label)", labelNames: names).labels(values), exemplarSource, logger: logger)
        } catch {
            refuse(n, error)
            return nil
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        counterHandler(label, dimensions) ?? DiscardingHandler()
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        counterHandler(label, dimensions) ?? DiscardingHandler()
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        let n = Self.sanitize(label)
        let (names, values) = split(dimensions)
        do {
            return BridgedGauge(try registry.gauge(n, help: "swift-metrics meter \(label)", labelNames: names).labels(values))
        } catch {
            refuse(n, error)
            return DiscardingHandler()
        }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let n = Self.sanitize(label)
        let (names, values) = split(dimensions)
        do {
            if aggregate {
                let buckets = bucketOverrides[n] ?? defaultBuckets
                return BridgedHistogram(try registry.histogram(n, help: "swift-metrics recorder \(label)", labelNames: names, buckets: buckets).labels(values), exemplarSource)
            }
            return BridgedGauge(try registry.gauge(n, help: "swift-metrics recorder \(label)", labelNames: names).labels(values))
        } catch {
            refuse(n, error)
            return DiscardingHandler()
        }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let n = name(label, suffix: "_seconds")
        let (names, values) = split(dimensions)
        do {
            let buckets = bucketOverrides[n] ?? timerBuckets
            return BridgedHistogram(try registry.histogram(
                n, help: "swift-metrics timer \(label)", unit: .seconds, labelNames: names, buckets: buckets).labels(values), exemplarSource)
        } catch {
            refuse(n, error)
            return DiscardingHandler()
        }
    }

    // Series stay in the registry after destroy (Prometheus keeps exposing the last value, as
    // the counter semantics require); the handler just goes away.
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}

/// A swift-metrics counter backed by a registry counter series.
final class BridgedCounter: CounterHandler, FloatingPointCounterHandler, Sendable {
    let series: AgentTelemetry.CounterSeries
    let source: (any ExemplarSource)?
    let logger: Logger
    init(_ series: AgentTelemetry.CounterSeries, _ source: (any ExemplarSource)?, logger: Logger) {
        self.series = series
        self.source = source
        self.logger = logger
    }
    func increment(by amount: Int64) { series.increment(by: Int(clamping: amount), exemplar: source?.currentTrace()) }
    func increment(by amount: Double) { series.increment(by: amount, exemplar: source?.currentTrace()) }
    func reset() {
        // Prometheus counters only go up; a reset would look like a process restart to rate().
        logger.debug("ignored reset() of counter \(series.context.info.name): counters are monotonic")
    }
}

/// A swift-metrics meter or non-aggregating recorder backed by a gauge series.
final class BridgedGauge: MeterHandler, RecorderHandler, Sendable {
    let series: AgentTelemetry.GaugeSeries
    init(_ series: AgentTelemetry.GaugeSeries) { self.series = series }
    func set(_ value: Int64) { series.set(Double(value)) }
    func set(_ value: Double) { series.set(value) }
    func increment(by amount: Double) { series.increment(by: amount) }
    func decrement(by amount: Double) { series.decrement(by: amount) }
    func record(_ value: Int64) { series.set(Double(value)) }
    func record(_ value: Double) { series.set(value) }
}

/// A swift-metrics aggregating recorder or timer backed by a histogram series.
final class BridgedHistogram: RecorderHandler, TimerHandler, Sendable {
    let series: AgentTelemetry.HistogramSeries
    let source: (any ExemplarSource)?
    init(_ series: AgentTelemetry.HistogramSeries, _ source: (any ExemplarSource)?) {
        self.series = series
        self.source = source
    }
    func record(_ value: Int64) { series.observe(Double(value), exemplar: source?.currentTrace()) }
    func record(_ value: Double) { series.observe(value, exemplar: source?.currentTrace()) }
    func recordNanoseconds(_ duration: Int64) { series.observe(Double(duration) / 1e9, exemplar: source?.currentTrace()) }
}

/// Absorbs updates of a metric that could not be registered.
final class DiscardingHandler: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler, TimerHandler, Sendable {
    func increment(by: Int64) {}
    func increment(by: Double) {}
    func reset() {}
    func set(_ value: Int64) {}
    func set(_ value: Double) {}
    func decrement(by: Double) {}
    func record(_ value: Int64) {}
    func record(_ value: Double) {}
    func recordNanoseconds(_ duration: Int64) {}
}
