// Prometheus text exposition (issue 10, item 3): AgentTelemetry (`PrometheusTextEncoder.encode(registry:into:)`,
// what the /metrics endpoint does)
// vs swift-prometheus 2.4.1 (`PrometheusCollectorRegistry.emit(into:)`), same series layout:
// 10 families, N/10 series each, labels {path="/api/v1/item/<i>", code="200"}; counters hold
// integer values, histograms 14 buckets (Buckets.agentLatency) with three observations each.
// Python prometheus_client runs the same layout in python/exposition.py.
import AgentTelemetry
import AgentTelemetryPrometheus
import Benchmark
import Prometheus
import PrometheusPeer
import Synchronization

enum Kind: String { case counters, histograms }

/// Registries built in setup hooks (only for the benchmarks that run), released in teardown.
final class Fixtures: Sendable {
    static let shared = Fixtures()
    let ours = Mutex<[String: AgentTelemetry.MetricRegistry]>([:])
    let peers = Mutex<[String: PrometheusCollectorRegistry]>([:])
}

let families = 10
let observationsPerSeries: [Double] = [0.003, 0.07, 1.7]

func buildOurs(_ kind: Kind, _ n: Int) -> AgentTelemetry.MetricRegistry {
    let registry = AgentTelemetry.MetricRegistry(cardinalityLimit: 1_000_000)
    let perFamily = n / families
    for f in 0..<families {
        switch kind {
        case .counters:
            let family = try! registry.counter("bench_requests_\(f)_total", help: "Requests handled, family \(f).", labelNames: ["path", "code"])
            for i in 0..<perFamily { family.labels(["/api/v1/item/\(i)", "200"]).increment(by: (i &* 7) % 1000 + 1) }
        case .histograms:
            let family = try! registry.histogram("bench_latency_\(f)_seconds", help: "Latency, family \(f).", labelNames: ["path", "code"], buckets: Buckets.agentLatency)
            for i in 0..<perFamily {
                let s = family.labels(["/api/v1/item/\(i)", "200"])
                for v in observationsPerSeries { s.observe(v) }
            }
        }
    }
    return registry
}

/// A fixed trace for the exemplar cases (issue 17).
let exemplarTrace = TraceReference(traceIDHigh: 0x4bf9_2f35_77b3_4da6, traceIDLow: 0xa3ce_929d_0e0e_4736, spanID: 0x00f0_67aa_0ba9_02b7)!

/// The exemplar cases (issue 17): counters as in `buildOurs` with every increment traced (one
/// exemplar per series); histograms with one observation in each of the 15 buckets (every bound,
/// then one above the last for `+Inf`), traced or not, so that every `_bucket` line carries an
/// exemplar in the traced registry and the untraced twin has the same counts.
func buildOursExemplars(_ kind: Kind, _ n: Int, traced: Bool) -> AgentTelemetry.MetricRegistry {
    let registry = AgentTelemetry.MetricRegistry(cardinalityLimit: 1_000_000)
    let perFamily = n / families
    let trace: TraceReference? = traced ? exemplarTrace : nil
    let everyBucket = Buckets.agentLatency + [Buckets.agentLatency.last! * 2]
    for f in 0..<families {
        switch kind {
        case .counters:
            let family = try! registry.counter("bench_requests_\(f)_total", help: "Requests handled, family \(f).", labelNames: ["path", "code"])
            for i in 0..<perFamily { family.labels(["/api/v1/item/\(i)", "200"]).increment(by: (i &* 7) % 1000 + 1, exemplar: trace) }
        case .histograms:
            let family = try! registry.histogram("bench_latency_\(f)_seconds", help: "Latency, family \(f).", labelNames: ["path", "code"], buckets: Buckets.agentLatency)
            for i in 0..<perFamily {
                let s = family.labels(["/api/v1/item/\(i)", "200"])
                for v in everyBucket { s.observe(v, exemplar: trace) }
            }
        }
    }
    return registry
}

func buildPeer(_ kind: Kind, _ n: Int) -> PrometheusCollectorRegistry {
    let registry = PrometheusCollectorRegistry()
    let perFamily = n / families
    for f in 0..<families {
        for i in 0..<perFamily {
            let labels = [("path", "/api/v1/item/\(i)"), ("code", "200")]
            switch kind {
            case .counters:
                registry.legacy.makeCounter(name: "bench_requests_\(f)_total", labels: labels, help: "Requests handled, family \(f).")
                    .increment(by: Int64((i &* 7) % 1000 + 1))
            case .histograms:
                let h = registry.legacy.makeValueHistogram(name: "bench_latency_\(f)_seconds", labels: labels, buckets: Buckets.agentLatency, help: "Latency, family \(f).")
                for v in observationsPerSeries { h.record(v) }
            }
        }
    }
    return registry
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 30
    )
    // `_om` cases render OpenMetrics 1.0 (ours); swift-prometheus has only the 0.0.4 text format,
    // so its peer figure there is its 0.0.4 exposition of the same registry.
    for kind in [Kind.counters, .histograms] {
        for n in [1_000, 10_000, 100_000] {
          for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let key = "\(kind.rawValue)_\(n / 1000)k"
            let name = key + (format == .openMetrics ? "_om" : "")
            Benchmark("Exposition/\(name)/ours") { benchmark in
                let registry = Fixtures.shared.ours.withLock { $0[key]! }
                let encoder = PrometheusTextEncoder(format: format)
                var buffer: [UInt8] = []
                buffer.reserveCapacity(n * (kind == .counters ? 64 : 1100))
                benchmark.startMeasurement()
                encoder.encode(registry: registry, into: &buffer)
                benchmark.stopMeasurement()
                blackHole(buffer.count)
            } setup: {
                let r = buildOurs(kind, n)
                Fixtures.shared.ours.withLock { $0[key] = r }
            } teardown: {
                Fixtures.shared.ours.withLock { $0[key] = nil }
            }
            Benchmark("Exposition/\(name)/swift-prometheus") { benchmark in
                let registry = Fixtures.shared.peers.withLock { $0[key]! }
                var buffer: [UInt8] = []
                buffer.reserveCapacity(n * (kind == .counters ? 64 : 1100))
                benchmark.startMeasurement()
                registry.emit(into: &buffer)
                benchmark.stopMeasurement()
                blackHole(buffer.count)
            } setup: {
                let r = buildPeer(kind, n)
                Fixtures.shared.peers.withLock { $0[key] = r }
            } teardown: {
                Fixtures.shared.peers.withLock { $0[key] = nil }
            }
          }
        }
    }

    // Exemplars (issue 17), OpenMetrics only (the 0.0.4 text has none): `*_om_exemplars` has an
    // exemplar on every counter series and on every histogram bucket line, `*_om_exemplars_none`
    // is the same registry built without them (histograms: one observation per bucket in both).
    for n in [1_000, 10_000] {
        for kind in [Kind.counters, .histograms] {
          for traced in [false, true] {
            let name = "\(kind.rawValue)_\(n / 1000)k_om_exemplars" + (traced ? "" : "_none")
            Benchmark("Exposition/\(name)/ours") { benchmark in
                let registry = Fixtures.shared.ours.withLock { $0[name]! }
                let encoder = PrometheusTextEncoder(format: .openMetrics)
                var buffer: [UInt8] = []
                buffer.reserveCapacity(n * (kind == .counters ? 256 : 3000))
                benchmark.startMeasurement()
                encoder.encode(registry: registry, into: &buffer)
                benchmark.stopMeasurement()
                blackHole(buffer.count)
            } setup: {
                let r = buildOursExemplars(kind, n, traced: traced)
                Fixtures.shared.ours.withLock { $0[name] = r }
            } teardown: {
                Fixtures.shared.ours.withLock { $0[name] = nil }
            }
          }
        }
    }
}
