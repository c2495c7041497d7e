// Direct instrument updates (issue 10, item 2): AgentTelemetry vs swift-prometheus 2.4.1, and
// (issue 27, item 6) vs swift-otel 1.6.0's metrics backend through the swift-metrics API.
// Each iteration performs `scalingFactor` updates; compare.sh divides the median by it (ns/op).
import AgentTelemetry
import Benchmark
import CoreMetrics
import OTel
import Prometheus
import PrometheusPeer

private let ourRegistry = AgentTelemetry.MetricRegistry(cardinalityLimit: 100_000)
private let peerRegistry = PrometheusCollectorRegistry()

/// 16 label combinations, built once so that the loop measures lookup + update, not string building.
private let ourKeys: [[String]] = (0..<16).map { ["tool_\($0)", "coding", "success"] }
private let peerKeys: [[(String, String)]] = (0..<16).map { [("tool", "tool_\($0)"), ("vertical", "coding"), ("outcome", "success")] }
private let observations: [Double] = (0..<1024).map { Double($0 % 97) * 0.37 }
/// A fixed trace for the exemplar cases (issue 17): what a traced caller passes.
private let trace = TraceReference(traceIDHigh: 0x4bf9_2f35_77b3_4da6, traceIDLow: 0xa3ce_929d_0e0e_4736, spanID: 0x00f0_67aa_0ba9_02b7)!

/// swift-otel's metrics factory (explicit-bucket histograms with our 14 bounds). Its exporting
/// service is never run: only recording is measured, as for the other peers.
private let otelFactory: any MetricsFactory = {
    var configuration = OTel.Configuration.default
    configuration.logs.enabled = false
    configuration.traces.enabled = false
    configuration.metrics.defaultHistogramType = .explicitBucket
    configuration.metrics.defaultValueHistogramBuckets = Buckets.agentLatency
    return try! OTel.makeMetricsBackend(configuration: configuration).factory
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 40
    )

    // Held series, integer increment.
    Benchmark("Instruments/held_counter_increment/ours") { benchmark in
        let c = try! ourRegistry.counter("held_total", help: "h", labelNames: ["k"]).labels(["v"])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { c.increment() }
        benchmark.stopMeasurement()
        blackHole(c.value)
    }
    // Exemplars (issue 17): the same held series, every increment with an exemplar (the traced
    // path: a clock read and the series' exemplar lock), and with `exemplar: nil` (what the
    // standard subscriber calls for an untraced event).
    Benchmark("Instruments/held_counter_increment_exemplar/ours") { benchmark in
        let c = try! ourRegistry.counter("held_exemplar_total", help: "h", labelNames: ["k"]).labels(["v"])
        c.increment(exemplar: trace)  // the slots are allocated once, on the first traced value
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { c.increment(exemplar: trace) }
        benchmark.stopMeasurement()
        blackHole(c.value)
    }
    Benchmark("Instruments/held_counter_increment_exemplar_nil/ours") { benchmark in
        let c = try! ourRegistry.counter("held_exemplar_nil_total", help: "h", labelNames: ["k"]).labels(["v"])
        let none: TraceReference? = identity(nil)  // opaque to the optimiser, as a runtime value is
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { c.increment(exemplar: none) }
        benchmark.stopMeasurement()
        blackHole(c.value)
    }
    Benchmark("Instruments/held_counter_increment/swift-prometheus") { benchmark in
        let c = peerRegistry.legacy.makeCounter(name: "held_total", labels: [("k", "v")])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { c.increment() }
        benchmark.stopMeasurement()
        blackHole(c)
    }

    // Labelled lookup + increment: three labels, 16 combinations rotating; the label strings exist
    // already (as they do in an event), the lookup is what is measured.
    Benchmark("Instruments/labelled_lookup_increment/ours") { benchmark in
        let family = try! ourRegistry.counter("lookup_total", help: "h", labelNames: ["tool", "vertical", "outcome"])
        for k in ourKeys { family.labels(k[0], k[1], k[2]).increment() }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let k = ourKeys[i & 15]
            family.labels(k[0], k[1], k[2]).increment()
        }
        benchmark.stopMeasurement()
    }
    // The same through the `[String]` overload (an array the caller already holds).
    Benchmark("Instruments/labelled_lookup_increment_array/ours") { benchmark in
        let family = try! ourRegistry.counter("lookup_array_total", help: "h", labelNames: ["tool", "vertical", "outcome"])
        for k in ourKeys { family.labels(k).increment() }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { family.labels(ourKeys[i & 15]).increment() }
        benchmark.stopMeasurement()
    }
    Benchmark("Instruments/labelled_lookup_increment/swift-prometheus") { benchmark in
        for k in peerKeys { peerRegistry.legacy.makeCounter(name: "lookup_total", labels: k).increment() }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { peerRegistry.legacy.makeCounter(name: "lookup_total", labels: peerKeys[i & 15]).increment() }
        benchmark.stopMeasurement()
    }

    // Held histogram series, observe a value (14 buckets on both sides).
    Benchmark("Instruments/histogram_observe/ours") { benchmark in
        let h = try! ourRegistry.histogram("obs_seconds", help: "h", labelNames: ["k"], buckets: Buckets.agentLatency).labels(["v"])
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { h.observe(observations[i & 1023]) }
        benchmark.stopMeasurement()
    }
    // Exemplars (issue 17): every observation with an exemplar (kept per bucket), and with
    // `exemplar: nil`.
    Benchmark("Instruments/histogram_observe_exemplar/ours") { benchmark in
        let h = try! ourRegistry.histogram("obs_exemplar_seconds", help: "h", labelNames: ["k"], buckets: Buckets.agentLatency).labels(["v"])
        h.observe(0, exemplar: trace)  // the slots are allocated once, on the first traced value
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { h.observe(observations[i & 1023], exemplar: trace) }
        benchmark.stopMeasurement()
    }
    Benchmark("Instruments/histogram_observe_exemplar_nil/ours") { benchmark in
        let h = try! ourRegistry.histogram("obs_exemplar_nil_seconds", help: "h", labelNames: ["k"], buckets: Buckets.agentLatency).labels(["v"])
        let none: TraceReference? = identity(nil)  // opaque to the optimiser, as a runtime value is
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { h.observe(observations[i & 1023], exemplar: none) }
        benchmark.stopMeasurement()
    }
    // What `emit` asks the default exemplar source for each event, alone: no context bound (one
    // task-local read), and a context with a `TraceReference` bound (`TraceReference.withCurrent`).
    Benchmark("Instruments/exemplar_source_lookup/ours") { benchmark in
        let source: any ExemplarSource = ContextExemplarSource()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(source.currentTrace()) }
        benchmark.stopMeasurement()
    }
    Benchmark("Instruments/exemplar_source_lookup_context/ours") { benchmark in
        let source: any ExemplarSource = ContextExemplarSource()
        trace.withCurrent {
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(source.currentTrace()) }
            benchmark.stopMeasurement()
        }
    }
    Benchmark("Instruments/histogram_observe/swift-prometheus") { benchmark in
        let h = peerRegistry.legacy.makeValueHistogram(name: "obs_seconds", labels: [("k", "v")], buckets: Buckets.agentLatency, help: "h")
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { h.record(observations[i & 1023]) }
        benchmark.stopMeasurement()
    }

    // swift-otel 1.6.0 (issue 27, item 6), through the swift-metrics handler API its factory
    // returns: a held counter, a lookup by dimensions (what `Counter(label:dimensions:)` does for
    // a label value known only at the call), and a held histogram (aggregating recorder).
    Benchmark("Instruments/held_counter_increment/swift-otel") { benchmark in
        let c = otelFactory.makeCounter(label: "held_total", dimensions: [("k", "v")])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { c.increment(by: 1) }
        benchmark.stopMeasurement()
        blackHole(c)
    }
    Benchmark("Instruments/labelled_lookup_increment/swift-otel") { benchmark in
        for k in peerKeys { otelFactory.makeCounter(label: "lookup_total", dimensions: k).increment(by: 1) }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { otelFactory.makeCounter(label: "lookup_total", dimensions: peerKeys[i & 15]).increment(by: 1) }
        benchmark.stopMeasurement()
    }
    Benchmark("Instruments/histogram_observe/swift-otel") { benchmark in
        let h = otelFactory.makeRecorder(label: "obs_seconds", dimensions: [("k", "v")], aggregate: true)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { h.record(observations[i & 1023]) }
        benchmark.stopMeasurement()
        blackHole(h)
    }

    // Budgets (issue 29): what an agent pays to ask `budget(session:)` before each call, with
    // 10,000 sessions charged. A life-window budget (a lock and one dictionary look-up), and a
    // session's life plus a rolling hour of tokens (adds a clock read and the window's advance).
    // Target: under 100 ns and no allocation.
    Benchmark("Instruments/budget_check_session/ours") { benchmark in
        let telemetry = budgetTelemetry([Budget(name: "session_cap", scope: .session, usd: 2)])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(telemetry.budget(session: "s4242").isOver) }
        benchmark.stopMeasurement()
    }
    Benchmark("Instruments/budget_check_session_rolling/ours") { benchmark in
        let telemetry = budgetTelemetry([Budget(name: "session_cap", scope: .session, usd: 2),
                                         Budget(name: "session_hourly", scope: .session, tokens: 1_000_000, window: .rolling(.seconds(3600)))])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(telemetry.budget(session: "s4242").isOver) }
        benchmark.stopMeasurement()
    }
}

/// A pipeline (not running: `emit` charges the budgets itself) with `budgets` and 10,000
/// sessions charged one call each.
private func budgetTelemetry(_ budgets: [Budget]) -> Telemetry {
    var configuration = TelemetryConfiguration(bus: .init(capacity: 1 << 15), enableStandardMetrics: false, sampleProcess: false)
    configuration.standardMetrics.priceOverrides = ["gpt-4o": ModelRates(input: 2.5, output: 10)]
    configuration.budgets = budgets
    let telemetry = try! Telemetry(configuration: configuration)
    for i in 0..<10_000 {
        telemetry.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .seconds(1),
                                       inputTokens: 1000, outputTokens: 100, sessionID: "s\(i)"))
    }
    return telemetry
}
