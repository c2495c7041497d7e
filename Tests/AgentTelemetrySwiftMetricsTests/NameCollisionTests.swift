// This file imports swift-metrics' `Metrics` and `AgentTelemetry` together, as nearly every Swift
// server app that adopts AgentTelemetry does, and uses swift-metrics' type names unqualified.
// It compiles only while no public AgentTelemetry type shares a name with swift-metrics'.
import AgentTelemetry
import AgentTelemetrySwiftMetrics
import Metrics
import Testing

/// An app's own instrumentation, written against swift-metrics with unqualified names.
struct AppInstruments {
    let requests: Counter
    let inflight: Gauge
    let latency: Timer
    let sizes: Recorder
}

@Suite("Names next to swift-metrics")
struct NameCollisionTests {
    @Test("swift-metrics' Counter, Gauge and Timer stay unambiguous next to AgentTelemetry, and feed its registry")
    func unqualifiedSwiftMetricsNames() {
        let registry = MetricRegistry()
        let factory = AgentTelemetryMetricsFactory(registry: registry)
        let app = AppInstruments(
            requests: Counter(label: "app.requests", factory: factory),
            inflight: Gauge(label: "app.inflight", factory: factory),
            latency: Timer(label: "app.latency", factory: factory),
            sizes: Recorder(label: "app.sizes", factory: factory))
        app.requests.increment(by: 2)
        app.inflight.record(3)
        app.latency.recordMilliseconds(40)
        app.sizes.record(7)
        let names = Set(registry.snapshot().families.map(\.info.name))
        #expect(names.isSuperset(of: ["app_requests_total", "app_inflight", "app_latency_seconds", "app_sizes"]))
    }
}
