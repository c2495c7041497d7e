import AgentTelemetryTesting
import Testing
@testable import AgentTelemetry

@Suite("Metric registry")
struct MetricRegistryTests {
    @Test("invalid metric names are refused with the name and the rule", arguments: [
        ("", "empty"), ("1abc", "must start"), ("a-b", "\"-\""), ("__reserved", "reserved"), ("tool executions", "\" \""),
    ])
    func invalidMetricNames(name: String, why: String) {
        let registry = MetricRegistry()
        do {
            _ = try registry.counter(name, help: "h")
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.description.contains("\"\(name)\""))
            #expect(error.description.contains(why))
        }
    }

    @Test("invalid label names are refused", arguments: ["1x", "a:b", "__x", "le", "", "é"])
    func invalidLabelNames(label: String) {
        let registry = MetricRegistry()
        #expect(throws: MetricRegistrationError.self) { _ = try registry.counter("ok_total", help: "h", labelNames: [label]) }
    }

    @Test("colons are allowed in metric names, not in label names")
    func colons() throws {
        let registry = MetricRegistry()
        _ = try registry.gauge("job:requests:rate5m", help: "h")
        #expect(throws: MetricRegistrationError.self) { _ = try registry.gauge("x", help: "h", labelNames: ["a:b"]) }
    }

    @Test("duplicate label names are refused")
    func duplicateLabels() {
        let registry = MetricRegistry()
        #expect(throws: MetricRegistrationError.duplicateLabelName(metric: "x_total", label: "a")) {
            _ = try registry.counter("x_total", help: "h", labelNames: ["a", "a"])
        }
    }

    @Test("re-registering the same name, type and labels returns the same family")
    func reRegistrationSameFamily() throws {
        let registry = MetricRegistry()
        let a = try registry.counter("x_total", help: "h", labelNames: ["k"])
        let b = try registry.counter("x_total", help: "h", labelNames: ["k"])
        #expect(a === b)
        a.labels(["v"]).increment()
        #expect(b.labels(["v"]).value == 1)
    }

    @Test("re-registering with another type or other labels is an error")
    func reRegistrationConflicts() throws {
        let registry = MetricRegistry()
        _ = try registry.counter("x_total", help: "h", labelNames: ["k"])
        #expect(throws: MetricRegistrationError.typeConflict(metric: "x_total", existing: .counter, requested: .gauge)) {
            _ = try registry.gauge("x_total", help: "h", labelNames: ["k"])
        }
        #expect(throws: MetricRegistrationError.labelConflict(metric: "x_total", existing: ["k"], requested: ["j"])) {
            _ = try registry.counter("x_total", help: "h", labelNames: ["j"])
        }
        _ = try registry.histogram("h_seconds", help: "h", buckets: [1, 2])
        #expect(throws: MetricRegistrationError.bucketConflict(metric: "h_seconds")) {
            _ = try registry.histogram("h_seconds", help: "h", buckets: [1, 3])
        }
        #expect(registry.familyNames == ["h_seconds", "x_total"])
    }

    @Test("histogram buckets must be finite and strictly increasing")
    func invalidBuckets() {
        let registry = MetricRegistry()
        #expect(throws: MetricRegistrationError.self) { _ = try registry.histogram("a", help: "h", buckets: [2, 1]) }
        #expect(throws: MetricRegistrationError.self) { _ = try registry.histogram("b", help: "h", buckets: [1, .infinity]) }
        #expect(throws: MetricRegistrationError.self) { _ = try registry.histogram("c", help: "h", buckets: []) }
    }

    @Test("counters refuse negative and NaN increments without crashing, and count them")
    func counterRejectsNegative() throws {
        let registry = MetricRegistry()
        let c = try registry.counter("c_total", help: "h").series
        c.increment(by: 5)
        c.increment(by: -3)
        c.increment(by: Double.nan)
        c.increment(by: -0.5)
        c.increment(by: 0.25)
        #expect(c.value == 5.25)
        #expect(registry.snapshot().value("agent_telemetry_metric_rejected_updates_total", ["metric": "c_total", "reason": "invalid_value"]) == 3)
    }

    @Test("gauges set, increment and decrement")
    func gauges() throws {
        let g = try MetricRegistry().gauge("g", help: "h").series
        g.set(10)
        g.increment(by: 2.5)
        g.decrement(by: 20)
        #expect(g.value == -7.5)
    }

    @Test("histogram observations land in the first bucket whose bound is >= the value")
    func histogramBuckets() throws {
        let h = try MetricRegistry().histogram("h", help: "h", buckets: [1, 2, 5]).series
        for v in [0.5, 1, 1.5, 2, 4.9, 5, 7, -1] { h.observe(v) }
        let value = h.current
        #expect(value.bucketCounts == [3, 2, 2, 1])
        #expect(value.cumulativeCounts == [3, 5, 7, 8])
        #expect(value.count == 8)
        #expect(value.sum == 0.5 + 1 + 1.5 + 2 + 4.9 + 5 + 7 - 1)
        #expect(value.min == -1)
        #expect(value.max == 7)
    }

    @Test("a wrong number of label values is refused and counted, not crashed on")
    func wrongLabelCount() throws {
        let registry = MetricRegistry()
        let f = try registry.counter("x_total", help: "h", labelNames: ["a", "b"])
        f.labels(["only-one"]).increment()
        f.labels(["1", "2", "3"]).increment()
        let snap = registry.snapshot()
        #expect(snap.family(named: "x_total")?.series.isEmpty == true)
        #expect(snap.value("agent_telemetry_metric_rejected_updates_total", ["metric": "x_total", "reason": "label_count"]) == 2)
    }

    @Test("100,000 distinct label values produce at most limit+1 series; the rest go to the overflow series")
    func cardinalityLimit() throws {
        let registry = MetricRegistry(cardinalityLimit: 100)
        let f = try registry.counter("tool_calls_total", help: "h", labelNames: ["tool"])
        for i in 0..<100_000 { f.labels(["tool-\(i)"]).increment() }
        let family = try #require(registry.snapshot().family(named: "tool_calls_total"))
        #expect(family.series.count == 101)
        let overflow = family.series.first { $0.labels["otel_metric_overflow"] == "true" }
        if case .counter(let v) = overflow?.value { #expect(v == 99_900) } else { Issue.record("no overflow series") }
        // Existing combinations keep working after the limit.
        f.labels(["tool-5"]).increment()
        #expect(f.labels(["tool-5"]).value == 2)
        #expect(registry.snapshot().value("agent_telemetry_metric_overflow_total", ["metric": "tool_calls_total"]) == 99_900)
    }

    @Test("10,000 label combinations each find their own series again, whichever call form is used")
    func manySeriesLookup() throws {
        let registry = MetricRegistry(cardinalityLimit: 20_000)
        let two = try registry.counter("two_total", help: "h", labelNames: ["a", "b"])
        let five = try registry.counter("five_total", help: "h", labelNames: ["a", "b", "c", "d", "e"])
        for i in 0..<10_000 {
            two.labels("k\(i % 97)", "v\(i)").increment(by: i)
            five.labels(["1", "2", "3", "4", "e\(i)"]).increment(by: i)
        }
        for i in stride(from: 0, to: 10_000, by: 7) {
            #expect(two.labels(["k\(i % 97)", "v\(i)"]).value == Double(i))
            #expect(two.labels("k\(i % 97)", "v\(i)") === two.labels(["k\(i % 97)", "v\(i)"]))
            #expect(five.labels("1", "2", "3", "4", "e\(i)").value == Double(i))
        }
        #expect(two.seriesCount == 10_000)
        #expect(five.seriesCount == 10_000)
        #expect(two.labels("k0", "v1").context.labels.values == ["k0", "v1"])
    }

    @Test("concurrent increments from many tasks sum exactly")
    func concurrentUpdates() async throws {
        let registry = MetricRegistry()
        let counter = try registry.counter("c_total", help: "h", labelNames: ["k"])
        let fractional = try registry.counter("f_total", help: "h").series
        let histogram = try registry.histogram("h", help: "h", buckets: [0.5]).series
        let gauge = try registry.gauge("g", help: "h").series
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<16 {
                group.addTask {
                    for i in 0..<10_000 {
                        counter.labels(["k\(i % 4)"]).increment()
                        fractional.increment(by: 0.5)
                        histogram.observe(Double(t % 2))
                        gauge.increment(by: 1)
                    }
                }
            }
        }
        let total = (0..<4).map { counter.labels(["k\($0)"]).value }.reduce(0, +)
        #expect(total == 160_000)
        #expect(fractional.value == 80_000)
        #expect(histogram.current.count == 160_000)
        #expect(histogram.current.bucketCounts == [80_000, 80_000])
        #expect(gauge.value == 160_000)
    }

    @Test("snapshots list families sorted by name and series in creation order")
    func snapshotOrder() throws {
        let registry = MetricRegistry()
        let b = try registry.counter("b_total", help: "h", labelNames: ["k"])
        _ = try registry.gauge("a", help: "h")
        b.labels(["z"]).increment()
        b.labels(["a"]).increment()
        let snap = registry.snapshot()
        #expect(snap.families.map(\.info.name) == ["a", "b_total"])
        #expect(snap.family(named: "b_total")?.series.map { $0.labels.values } == [["z"], ["a"]])
    }

    @Test("label values are escaped once in the pre-rendered Prometheus form")
    func labelEscaping() {
        let set = LabelSet(names: ["a", "b"], values: ["x\"y\\z\nw", "plain"])
        #expect(String(decoding: set.prometheusText, as: UTF8.self) == #"a="x\"y\\z\nw",b="plain""#)
    }

    @Test("update listeners see every update")
    func listeners() throws {
        final class L: MetricUpdateListener {
            let seen = Mutex<[String]>([])
            func counterIncremented(_ s: CounterSeries, by amount: Double) { seen.withLock { $0.append("c\(amount)") } }
            func gaugeChanged(_ s: GaugeSeries, to value: Double) { seen.withLock { $0.append("g\(value)") } }
            func histogramObserved(_ s: HistogramSeries, value: Double) { seen.withLock { $0.append("h\(value)") } }
        }
        let registry = MetricRegistry()
        let l = L()
        registry.addUpdateListener(l)
        try registry.counter("c_total", help: "h").series.increment(by: 2)
        try registry.gauge("g", help: "h").series.set(3)
        try registry.histogram("h", help: "h", buckets: [1]).series.observe(0.5)
        registry.removeUpdateListener(l)
        try registry.counter("c_total", help: "h").series.increment()
        #expect(l.seen.withLock { $0 } == ["c2.0", "g3.0", "h0.5"])
    }
}

import Synchronization
