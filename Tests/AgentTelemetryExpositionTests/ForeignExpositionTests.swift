import AgentTelemetryExposition
import AgentTelemetryTestSupport
import Foundation
import Testing

/// What another client library writes: prometheus_client (the pinned peer) renders every family
/// type in both formats, and our parser reads both.
@Suite("Expositions of another client library")
struct ForeignExpositionTests {
    static let script = """
    import sys
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary, Info, Enum, generate_latest
    from prometheus_client.openmetrics.exposition import generate_latest as openmetrics
    from prometheus_client.core import GaugeHistogramMetricFamily
    r = CollectorRegistry()
    Counter('jobs', 'Jobs "done" \\\\ here', ['kind'], registry=r).labels('a\\n"b"').inc(3)
    Gauge('temp_celsius', 'T', unit='celsius', registry=r).set(-0.0)
    Histogram('lat_seconds', 'L', registry=r).observe(0.3, exemplar={'trace_id': 'abc'})
    Summary('sz', 'S', registry=r).observe(4)
    Info('build', 'B', registry=r).info({'version': '1.2'})
    Enum('state', 'St', states=['a', 'b'], registry=r).state('b')
    class Queue:
        def collect(self):
            yield GaugeHistogramMetricFamily('queue', 'Q', buckets=[('1.0', 2), ('+Inf', 3)], gsum_value=4)
    r.register(Queue())
    out = openmetrics(r) if sys.argv[1] == 'openmetrics' else generate_latest(r)
    sys.stdout.write(out.decode())
    """

    static let enabled = Peers.hasPrometheusClient

    static func render(_ format: String) async throws -> [UInt8] {
        let result = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", ["-c", script, format])
        try #require(result.status == 0, "\(result.stderr)")
        return Array(result.stdout.utf8)
    }

    @Test("its OpenMetrics text is read whole: every type, the unit, escapes, -0 and the exemplar", .enabled(if: enabled))
    func openMetrics() async throws {
        let e = try ExpositionParser.parse(try await Self.render("openmetrics"), contentType: "application/openmetrics-text; version=1.0.0")
        #expect(e.families.map(\.type) == [.counter, .gauge, .histogram, .summary, .info, .stateset, .gaugehistogram])
        #expect(e.families.first?.help == #"Jobs "done" \ here"#)
        #expect(e.samples(named: "jobs_total").first?.labels == ["kind": "a\n\"b\""])
        #expect(e.families[1].unit == "celsius")
        #expect(e.samples(named: "temp_celsius").first?.value.bitPattern == (-0.0).bitPattern)
        let exemplar = try #require(e.samples(named: "lat_seconds_bucket").compactMap(\.exemplar).first)
        #expect(exemplar.labels == ["trace_id": "abc"] && exemplar.value == 0.3 && exemplar.timestamp != nil)
        #expect(e.samples(named: "state").map(\.value) == [0, 1])
    }

    @Test("its 0.0.4 text is read whole (by content, no type given)", .enabled(if: enabled))
    func prometheusText() async throws {
        let e = try ExpositionParser.parse(try await Self.render("text"))
        #expect(e.dialect == .prometheusText)
        #expect(e.types["jobs_total"] == "counter" && e.types["jobs_created"] == "gauge")
        #expect(e.samples(named: "lat_seconds_count").first?.value == 1)
        #expect(e.samples(named: "build_info").first?.labels == ["version": "1.2"])
    }
}
