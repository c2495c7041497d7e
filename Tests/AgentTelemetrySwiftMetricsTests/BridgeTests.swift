import AgentTelemetry
import AgentTelemetryTesting
import CoreMetrics
import Testing
@testable import AgentTelemetrySwiftMetrics

@Suite("swift-metrics bridge")
struct BridgeTests {
    @Test("counters get _total, dimensions become labels sorted by name")
    func counter() {
        let r = MetricRegistry()
        let f = AgentTelemetryMetricsFactory(registry: r)
        let c = CoreMetrics.Counter(label: "http.requests", dimensions: [("status", "200"), ("method", "GET")], factory: f)
        c.increment(by: 3)
        c.increment()
        #expect(r.seriesValue("http_requests_total", ["method": "GET", "status": "200"]) == .counter(4))
        #expect(r.snapshot().family(named: "http_requests_total")?.info.labelNames == ["method", "status"])
    }

    @Test("a timer and a counter updated inside a traced context keep its trace as exemplar; outside, or without a source, none")
    func exemplarsFromTheRecordingContext() throws {
        let trace = try #require(TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7"))
        let r = MetricRegistry()
        let f = AgentTelemetryMetricsFactory(registry: r, timerBuckets: [0.01, 0.1, 1])
        let t = CoreMetrics.Timer(label: "db-query", factory: f)
        let c = CoreMetrics.Counter(label: "queries", factory: f)
        trace.withCurrent {
            t.recordMilliseconds(50)
            c.increment()
        }
        t.recordMilliseconds(500)
        c.increment()
        let e = r.exemplars("db_query_seconds")
        #expect(e.count == 4)
        #expect(e[1]?.trace == trace && e[1]?.value == 0.05)
        #expect(e[2] == nil, "the untraced timer value got an exemplar")
        #expect(r.exemplars("queries_total").first??.trace == trace)

        let off = MetricRegistry()
        let quiet = CoreMetrics.Timer(label: "db-query", factory: AgentTelemetryMetricsFactory(registry: off, exemplarSource: nil))
        trace.withCurrent { quiet.recordMilliseconds(50) }
        #expect(off.exemplars("db_query_seconds").isEmpty)
    }

    @Test("floating-point counters keep fractions")
    func floatingCounter() {
        let r = MetricRegistry()
        let c = FloatingPointCounter(label: "cost_usd", factory: AgentTelemetryMetricsFactory(registry: r))
        c.increment(by: 0.25)
        c.increment(by: 0.5)
        #expect(r.seriesValue("cost_usd_total") == .counter(0.75))
    }

    @Test("timers become histograms in seconds with the _seconds suffix")
    func timer() throws {
        let r = MetricRegistry()
        let t = CoreMetrics.Timer(label: "db-query", factory: AgentTelemetryMetricsFactory(registry: r, timerBuckets: [0.01, 0.1, 1]))
        t.recordNanoseconds(50_000_000)
        t.recordMilliseconds(2_000)
        guard case .histogram(let h)? = r.seriesValue("db_query_seconds") else { Issue.record("no histogram"); return }
        #expect(h.bucketCounts == [0, 1, 0, 1])
        #expect(h.sum == 2.05)
        #expect(r.snapshot().family(named: "db_query_seconds")?.info.unit == .seconds)
    }

    @Test("aggregating recorders are histograms, others and meters are gauges")
    func recordersAndMeters() {
        let r = MetricRegistry()
        let f = AgentTelemetryMetricsFactory(registry: r, defaultBuckets: [10, 100])
        Recorder(label: "payload_bytes", factory: f).record(50)
        Recorder(label: "queue_depth", aggregate: false, factory: f).record(7)
        let m = Meter(label: "in_flight", factory: f)
        m.set(3)
        m.increment(by: 2)
        guard case .histogram(let h)? = r.seriesValue("payload_bytes") else { Issue.record("no histogram"); return }
        #expect(h.bucketCounts == [0, 1, 0])
        #expect(r.seriesValue("queue_depth") == .gauge(7))
        #expect(r.seriesValue("in_flight") == .gauge(5))
    }

    @Test("invalid characters in labels and dimension names are replaced")
    func sanitising() {
        #expect(AgentTelemetryMetricsFactory.sanitize("http.server.requests-count") == "http_server_requests_count")
        #expect(AgentTelemetryMetricsFactory.sanitize("9lives") == "_9lives")
        #expect(AgentTelemetryMetricsFactory.sanitize("__x") == "x_x")
        #expect(AgentTelemetryMetricsFactory.sanitize("a:b", allowColon: false) == "a_b")
        let r = MetricRegistry()
        CoreMetrics.Counter(label: "x", dimensions: [("user.id", "42")], factory: AgentTelemetryMetricsFactory(registry: r)).increment()
        #expect(r.seriesValue("x_total", ["user_id": "42"]) == .counter(1))
    }

    @Test("a metric re-created with other dimension names is refused and counted, not crashed on")
    func conflictingDimensions() {
        let r = MetricRegistry()
        let f = AgentTelemetryMetricsFactory(registry: r)
        CoreMetrics.Counter(label: "jobs", dimensions: [("queue", "a")], factory: f).increment()
        let other = CoreMetrics.Counter(label: "jobs", dimensions: [("worker", "1")], factory: f)
        other.increment(by: 5)
        #expect(r.seriesValue("jobs_total", ["queue": "a"]) == .counter(1))
        #expect(r.seriesValue("agent_telemetry_swift_metrics_rejected_total", ["metric": "jobs_total"]) == .counter(1))
    }

    @Test("dimension values share the registry's cardinality limit")
    func cardinality() {
        let r = MetricRegistry(cardinalityLimit: 10)
        let f = AgentTelemetryMetricsFactory(registry: r)
        for i in 0..<100 { CoreMetrics.Counter(label: "hits", dimensions: [("path", "/p\(i)")], factory: f).increment() }
        #expect(r.snapshot().family(named: "hits_total")?.series.count == 11)
    }
}
