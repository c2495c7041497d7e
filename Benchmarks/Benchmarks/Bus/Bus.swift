// Emit -> subscriber -> registry, end to end (issue 10, item 1).
//
// Each iteration emits 100,000 `ToolExecuted` events
// split over P producer tasks and waits until every subscriber has handled them (`flush()`), so
// median / 100,000 is the end-to-end time per event and 1e9 / that is events per second.
// Every subscriber updates a held registry counter per event. Peers, same shape:
//  - swift-prometheus 2.4.1: the producers increment a counter directly (no bus);
//  - AsyncStream fan-out: the naive design, one `yield` per event per subscriber stream.
// The bus is sized so that nothing is dropped (checked; a drop fails the benchmark).
import AgentTelemetry
import AgentTelemetryTesting
import Benchmark
import Prometheus
import PrometheusPeer
import Synchronization

let eventsPerIteration = 100_000

let sampleEvent = ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(12))

/// A fixed trace for the exemplar cases (issue 17): bound with `TraceReference.withCurrent` (the
/// default `ContextExemplarSource` finds it in the task's context at `emit`) or passed to
/// `emit(_:trace:)`.
let sampleTrace = TraceReference(traceIDHigh: 0x4bf9_2f35_77b3_4da6, traceIDLow: 0xa3ce_929d_0e0e_4736, spanID: 0x00f0_67aa_0ba9_02b7)!

/// A subscriber that updates one held counter per event.
struct CountingSubscriber: TelemetrySubscriber {
    let name: String
    let counter: AgentTelemetry.CounterSeries
    func handle(_ event: any TelemetryEvent) async throws { counter.increment() }
}

final class BusFixture: Sendable {
    let bus: Telemetry
    let counter: AgentTelemetry.CounterSeries
    /// `exemplarSource: false` turns the exemplar source off (`TelemetryConfiguration.exemplarSource
    /// = nil`): `emit` then asks nothing (the `*_exemplars_off` cases, issue 17).
    init(subscribers: Int, exemplarSource: Bool = true) {
        var configuration = TelemetryConfiguration(
            bus: .init(capacity: 1 << 21, overflowPolicy: .dropOldest, subscriberCapacity: 1 << 21),
            cardinalityLimit: 10_000, enableStandardMetrics: false, sampleProcess: false)
        if !exemplarSource { configuration.exemplarSource = nil }
        bus = try! Telemetry(configuration: configuration)
        let family = try! bus.registry.counter("bench_handled_total", help: "handled", labelNames: ["subscriber"])
        counter = family.labels(["0"])
        for s in 0..<subscribers {
            bus.subscribe(CountingSubscriber(name: "s\(s)", counter: family.labels(["\(s)"])))
        }
        // The pipeline runs for the fixture's lifetime; teardown's shutdown() ends it.
        Task { [bus] in try? await bus.run() }
    }
}

final class Fixtures: Sendable {
    static let shared = Fixtures()
    let buses = Mutex<[String: BusFixture]>([:])
    let standardBuses = Mutex<[String: Telemetry]>([:])
    let telemetry = Mutex<Telemetry?>(nil)
    let testKit = Mutex<TestTelemetry?>(nil)
}

func checkNoDrops(_ bus: Telemetry, _ benchmark: Benchmark) {
    let s = bus.statistics
    if s.dropped != 0 { benchmark.error("bus dropped \(s.dropped) events; the figure would be wrong") }
}

/// Emits `count` events from `producers` detached tasks.
func produce(_ bus: Telemetry, producers: Int, count: Int) async {
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<producers {
            group.addTask {
                let e = sampleEvent
                for _ in 0..<(count / producers) { bus.emit(e) }
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 2,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 15
    )

    // MARK: ours, P producers x S subscribers
    for subscribers in [1, 4, 16] {
        for producers in [1, 2, 8] {
            let key = "p\(producers)_s\(subscribers)"
            Benchmark("Bus/e2e_\(key)/ours") { benchmark in
                let f = Fixtures.shared.buses.withLock { $0[key]! }
                benchmark.startMeasurement()
                await produce(f.bus, producers: producers, count: eventsPerIteration)
                await f.bus.flush()
                benchmark.stopMeasurement()
                checkNoDrops(f.bus, benchmark)
            } setup: {
                let f = BusFixture(subscribers: subscribers)
                Fixtures.shared.buses.withLock { $0[key] = f }
            } teardown: {
                let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: key) }
                await f?.bus.shutdown()
            }

            Benchmark("Bus/e2e_\(key)/asyncstream") { benchmark in
                let registry = AgentTelemetry.MetricRegistry()
                let family = try! registry.counter("bench_handled_total", help: "handled", labelNames: ["subscriber"])
                var continuations: [AsyncStream<ToolExecuted>.Continuation] = []
                var streams: [AsyncStream<ToolExecuted>] = []
                for _ in 0..<subscribers {
                    let (s, c) = AsyncStream<ToolExecuted>.makeStream(bufferingPolicy: .unbounded)
                    streams.append(s)
                    continuations.append(c)
                }
                let conts = continuations
                benchmark.startMeasurement()
                await withTaskGroup(of: Void.self) { group in
                    for (i, stream) in streams.enumerated() {
                        let counter = family.labels(["\(i)"])
                        group.addTask { for await _ in stream { counter.increment() } }
                    }
                    await withTaskGroup(of: Void.self) { producersGroup in
                        for _ in 0..<producers {
                            producersGroup.addTask {
                                let e = sampleEvent
                                for _ in 0..<(eventsPerIteration / producers) {
                                    for c in conts { c.yield(e) }
                                }
                            }
                        }
                    }
                    for c in conts { c.finish() }
                }
                benchmark.stopMeasurement()
            }
        }
    }

    // MARK: exemplars (issue 17): one producer, one custom subscriber, every event emitted with a
    // trace bound in the producer's context (captured at `emit`, bound for `handle` as
    // `TraceReference.ofCurrentEvent`). Same fixture as e2e_p1_s1.
    Benchmark("Bus/e2e_p1_s1_context/ours") { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["p1_s1_context"]! }
        benchmark.startMeasurement()
        await sampleTrace.withCurrent { await produce(f.bus, producers: 1, count: eventsPerIteration) }
        await f.bus.flush()
        benchmark.stopMeasurement()
        checkNoDrops(f.bus, benchmark)
    } setup: {
        let f = BusFixture(subscribers: 1)
        Fixtures.shared.buses.withLock { $0["p1_s1_context"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "p1_s1_context") }
        await f?.bus.shutdown()
    }

    // Exemplars (issue 17): e2e_p1_s1 and e2e_main_s1 with the exemplar source off, so that `emit`
    // asks nothing: what is left against the commit before exemplars is the bigger item.
    Benchmark("Bus/e2e_p1_s1_exemplars_off/ours") { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["p1_s1_off"]! }
        benchmark.startMeasurement()
        await produce(f.bus, producers: 1, count: eventsPerIteration)
        await f.bus.flush()
        benchmark.stopMeasurement()
        checkNoDrops(f.bus, benchmark)
    } setup: {
        let f = BusFixture(subscribers: 1, exemplarSource: false)
        Fixtures.shared.buses.withLock { $0["p1_s1_off"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "p1_s1_off") }
        await f?.bus.shutdown()
    }
    Benchmark("Bus/e2e_main_s1_exemplars_off/ours") { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["main_off"]! }
        benchmark.startMeasurement()
        await MainActor.run {
            let e = sampleEvent
            for _ in 0..<eventsPerIteration { f.bus.emit(e) }
        }
        await f.bus.flush()
        benchmark.stopMeasurement()
        checkNoDrops(f.bus, benchmark)
    } setup: {
        let f = BusFixture(subscribers: 1, exemplarSource: false)
        Fixtures.shared.buses.withLock { $0["main_off"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "main_off") }
        await f?.bus.shutdown()
    }

    // MARK: swift-prometheus, producers increment directly (no bus, no subscriber)
    for producers in [1, 2, 8] {
        Benchmark("Bus/e2e_p\(producers)_s1/swift-prometheus-direct") { benchmark in
            let registry = PrometheusCollectorRegistry()
            let counter = registry.legacy.makeCounter(name: "bench_handled_total", labels: [("subscriber", "0")])
            benchmark.startMeasurement()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<producers {
                    group.addTask { for _ in 0..<(eventsPerIteration / producers) { counter.increment() } }
                }
            }
            benchmark.stopMeasurement()
        }
    }

    // MARK: producer on the main actor, one subscriber
    Benchmark("Bus/e2e_main_s1/ours") { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["main"]! }
        benchmark.startMeasurement()
        await MainActor.run {
            let e = sampleEvent
            for _ in 0..<eventsPerIteration { f.bus.emit(e) }
        }
        await f.bus.flush()
        benchmark.stopMeasurement()
        checkNoDrops(f.bus, benchmark)
    } setup: {
        let f = BusFixture(subscribers: 1)
        Fixtures.shared.buses.withLock { $0["main"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "main") }
        await f?.bus.shutdown()
    }
    Benchmark("Bus/e2e_main_s1/asyncstream") { benchmark in
        let registry = AgentTelemetry.MetricRegistry()
        let counter = try! registry.counter("bench_handled_total", help: "handled").series
        let (stream, c) = AsyncStream<ToolExecuted>.makeStream(bufferingPolicy: .unbounded)
        benchmark.startMeasurement()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stream { counter.increment() } }
            await MainActor.run {
                let e = sampleEvent
                for _ in 0..<eventsPerIteration { c.yield(e) }
            }
            c.finish()
        }
        benchmark.stopMeasurement()
    }

    // MARK: the standard subscriber: ToolExecuted -> 3 labelled registry updates
    Benchmark("Bus/e2e_standard_p1/ours") { benchmark in
        let t = Fixtures.shared.telemetry.withLock { $0! }
        benchmark.startMeasurement()
        await produce(t, producers: 1, count: eventsPerIteration)
        await t.flush()
        benchmark.stopMeasurement()
        checkNoDrops(t, benchmark)
    } setup: {
        let t = try! Telemetry(configuration: .init(
            bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false))
        Task { try? await t.run() }
        Fixtures.shared.telemetry.withLock { $0 = t }
    } teardown: {
        let t = Fixtures.shared.telemetry.withLock { $0 }
        await t?.shutdown()
    }
    // Exemplars (issue 17): the same with a trace bound in the producer's context, so that the
    // standard subscriber keeps an exemplar on each of the four series ToolExecuted updates.
    Benchmark("Bus/e2e_standard_p1_context/ours") { benchmark in
        let t = Fixtures.shared.telemetry.withLock { $0! }
        benchmark.startMeasurement()
        await sampleTrace.withCurrent { await produce(t, producers: 1, count: eventsPerIteration) }
        await t.flush()
        benchmark.stopMeasurement()
        checkNoDrops(t, benchmark)
    } setup: {
        let t = try! Telemetry(configuration: .init(
            bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false))
        Task { try? await t.run() }
        Fixtures.shared.telemetry.withLock { $0 = t }
    } teardown: {
        let t = Fixtures.shared.telemetry.withLock { $0 }
        await t?.shutdown()
    }
    // And with the exemplar source off (untraced events, nothing asked at `emit`).
    Benchmark("Bus/e2e_standard_p1_exemplars_off/ours") { benchmark in
        let t = Fixtures.shared.telemetry.withLock { $0! }
        benchmark.startMeasurement()
        await produce(t, producers: 1, count: eventsPerIteration)
        await t.flush()
        benchmark.stopMeasurement()
        checkNoDrops(t, benchmark)
    } setup: {
        var configuration = TelemetryConfiguration(bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false)
        configuration.exemplarSource = nil
        let t = try! Telemetry(configuration: configuration)
        Task { try? await t.run() }
        Fixtures.shared.telemetry.withLock { $0 = t }
    } teardown: {
        let t = Fixtures.shared.telemetry.withLock { $0 }
        await t?.shutdown()
    }
    // The test kit runs the production path (issue 26): standard events emitted through a
    // `TestTelemetry` (what `withTestTelemetry` hands a test) reach its recorder and the standard
    // metrics by value. Read mallocCountTotal: per 100,000 events it should be ~0, as for
    // e2e_standard_p1 (the recorder keeps its storage between iterations; a settle() is one flush barrier).
    Benchmark("Bus/test_kit_standard_p1/ours") { benchmark in
        let t = Fixtures.shared.testKit.withLock { $0! }
        let e = sampleEvent
        benchmark.startMeasurement()
        for _ in 0..<eventsPerIteration { t.emit(e) }
        await t.settle()
        benchmark.stopMeasurement()
        t.clearEvents()
        checkNoDrops(t.telemetry, benchmark)
    } setup: {
        let t = try! TestTelemetry(configuration: .init(
            bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false))
        Task { try? await t.telemetry.run() }
        Fixtures.shared.testKit.withLock { $0 = t }
    } teardown: {
        let t = Fixtures.shared.testKit.withLock { $0 }
        await t?.telemetry.shutdown()
    }
    Benchmark("Bus/e2e_standard_p1/swift-prometheus-direct") { benchmark in
        // What the standard subscriber does for ToolExecuted, done directly by the producer.
        let registry = PrometheusCollectorRegistry()
        let labels3 = [("tool", "read_file"), ("vertical", "coding"), ("outcome", "success")]
        let labels2 = [("tool", "read_file"), ("vertical", "coding")]
        let labelsV = [("vertical", "coding"), ("outcome", "success")]
        benchmark.startMeasurement()
        for _ in 0..<eventsPerIteration {
            registry.legacy.makeCounter(name: "tool_executions_total", labels: labels3).increment()
            registry.legacy.makeDurationHistogram(name: "tool_execution_duration_seconds", labels: labels2,
                                           buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(20), .seconds(30), .seconds(60)])
                .record(.milliseconds(12))
            registry.legacy.makeCounter(name: "vertical_usage_total", labels: labelsV).increment()
        }
        benchmark.stopMeasurement()
    }

    // MARK: producer-side cost of one emit: 1,000 emits per iteration (scalingFactor .kilo), timed
    // without the delivery (flushed after the measurement).
    Benchmark("Bus/producer_emit_ns/ours", configuration: .init(scalingFactor: .kilo, maxIterations: 200)) { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["emit"]! }
        let e = sampleEvent
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { f.bus.emit(e) }
        benchmark.stopMeasurement()
        await f.bus.flush()
    } setup: {
        let f = BusFixture(subscribers: 1)
        Fixtures.shared.buses.withLock { $0["emit"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "emit") }
        await f?.bus.shutdown()
    }
    // Exemplars (issue 17), producer side, same fixture as producer_emit_ns: with a trace bound in
    // the task's context (`ContextExemplarSource` reads it at each `emit`), and with the trace
    // passed explicitly (`emit(_:trace:)`: no look-up).
    Benchmark("Bus/producer_emit_context_ns/ours", configuration: .init(scalingFactor: .kilo, maxIterations: 200)) { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["emit_context"]! }
        let e = sampleEvent
        sampleTrace.withCurrent {
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { f.bus.emit(e) }
            benchmark.stopMeasurement()
        }
        await f.bus.flush()
    } setup: {
        let f = BusFixture(subscribers: 1)
        Fixtures.shared.buses.withLock { $0["emit_context"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "emit_context") }
        await f?.bus.shutdown()
    }
    Benchmark("Bus/producer_emit_trace_ns/ours", configuration: .init(scalingFactor: .kilo, maxIterations: 200)) { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["emit_trace"]! }
        let e = sampleEvent
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { f.bus.emit(e, trace: sampleTrace) }
        benchmark.stopMeasurement()
        await f.bus.flush()
    } setup: {
        let f = BusFixture(subscribers: 1)
        Fixtures.shared.buses.withLock { $0["emit_trace"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "emit_trace") }
        await f?.bus.shutdown()
    }
    Benchmark("Bus/producer_emit_exemplars_off_ns/ours", configuration: .init(scalingFactor: .kilo, maxIterations: 200)) { benchmark in
        let f = Fixtures.shared.buses.withLock { $0["emit_off"]! }
        let e = sampleEvent
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { f.bus.emit(e) }
        benchmark.stopMeasurement()
        await f.bus.flush()
    } setup: {
        let f = BusFixture(subscribers: 1, exemplarSource: false)
        Fixtures.shared.buses.withLock { $0["emit_off"] = f }
    } teardown: {
        let f = Fixtures.shared.buses.withLock { $0.removeValue(forKey: "emit_off") }
        await f?.bus.shutdown()
    }
    // Issue 27, item 2: a standard event on the path every application has (only the standard
    // subscriber registered: the event is stored by value, no allocation), with the default
    // exemplar source (nothing bound: one context read) and with it off.
    for (key, exemplars) in [("producer_emit_standard_ns", true), ("producer_emit_standard_exemplars_off_ns", false)] {
        Benchmark("Bus/\(key)/ours", configuration: .init(scalingFactor: .kilo, maxIterations: 200)) { benchmark in
            let t = Fixtures.shared.standardBuses.withLock { $0[key]! }
            let e = sampleEvent
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { t.emit(e) }
            benchmark.stopMeasurement()
            await t.flush()
        } setup: {
            var configuration = TelemetryConfiguration(bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false)
            if !exemplars { configuration.exemplarSource = nil }
            let t = try! Telemetry(configuration: configuration)
            Task { try? await t.run() }
            Fixtures.shared.standardBuses.withLock { $0[key] = t }
        } teardown: {
            let t = Fixtures.shared.standardBuses.withLock { $0.removeValue(forKey: key) }
            await t?.shutdown()
        }
    }
    // Eight producers at once (issue 27, item 2): 8 tasks emit 125,000 events each into one bus,
    // the measurement ends when all have returned (delivery is flushed afterwards). Per emit =
    // wall time / 1,000,000, i.e. what the bus admits per emit while the producers contend for
    // it; a standard event (by value) and a boxed one (a subscriber that takes existentials is
    // registered, as for producer_emit_ns).
    for (key, standard) in [("producer_emit_p8_standard_ns", true), ("producer_emit_p8_ns", false)] {
        Benchmark("Bus/\(key)/ours", configuration: .init(scalingFactor: .mega, maxIterations: 20)) { benchmark in
            let t = Fixtures.shared.standardBuses.withLock { $0[key]! }
            let perProducer = benchmark.scaledIterations.count / 8
            benchmark.startMeasurement()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let e = sampleEvent
                        for _ in 0..<perProducer { t.emit(e) }
                    }
                }
            }
            benchmark.stopMeasurement()
            await t.flush()
            checkNoDrops(t, benchmark)
        } setup: {
            let t: Telemetry
            if standard {
                t = try! Telemetry(configuration: .init(bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false))
                Task { try? await t.run() }
            } else {
                t = BusFixture(subscribers: 1).bus  // the fixture runs its bus
            }
            Fixtures.shared.standardBuses.withLock { $0[key] = t }
        } teardown: {
            let t = Fixtures.shared.standardBuses.withLock { $0.removeValue(forKey: key) }
            await t?.shutdown()
        }
    }
    Benchmark("Bus/producer_emit_ns/asyncstream", configuration: .init(scalingFactor: .kilo, maxIterations: 200)) { benchmark in
        let (stream, c) = AsyncStream<ToolExecuted>.makeStream(bufferingPolicy: .unbounded)
        let consumer = Task { for await _ in stream {} }
        let e = sampleEvent
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { c.yield(e) }
        benchmark.stopMeasurement()
        c.finish()
        await consumer.value
    }
}
