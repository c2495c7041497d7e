import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryPrometheus

/// The Prometheus protobuf exposition (delimited `io.prometheus.client.MetricFamily`), decoded by
/// an independent decoder and compared with the text exposition of the same registry.
@Suite("Prometheus protobuf exposition")
struct ProtobufExpositionTests {
    static let trace = TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7")!

    /// Every kind of family: a counter with an exemplar, a gauge, a classic histogram, a native
    /// one (with negative values and zeros), one exported both ways, and common labels.
    static func registry() throws -> MetricRegistry {
        let views = MetricViews(commonLabels: ["environment": "test"], views: [
            MetricView(match: "native_seconds", aggregation: .native, maxBuckets: 400, schema: 3),
            MetricView(match: "both_seconds", aggregation: .classicAndNative, maxBuckets: 40),
        ])
        let r = MetricRegistry(views: views)
        let c = try r.counter("jobs_total", help: "Jobs \"done\".\nSecond line.", labelNames: ["kind"])
        c.labels("a").increment(by: 3)
        c.labels("b\"quoted\"").increment(by: 2.5, exemplar: trace)
        try r.gauge("queue_depth", help: "Depth.").series.set(-7.25)
        let classic = try r.histogram("classic_seconds", help: "Classic.", buckets: [0.1, 1, 10])
        for v in [0.05, 0.5, 5, 50] { classic.series.observe(v) }
        let native = try r.histogram("native_seconds", help: "Native.", labelNames: ["op"], buckets: [0.1, 1])
        let series = native.labels("read")
        for v in [0.0, 0.001, 0.0011, 0.5, 0.52, 3, 3, 3, 1000, -2, -0.25] { series.observe(v) }
        series.observe(0.7, exemplar: trace)
        _ = native.labels("idle")  // no observations yet: still a native histogram
        let both = try r.histogram("both_seconds", help: "Both.", buckets: [0.01, 0.1, 1])
        var x = 0.0001
        while x < 5000 { both.series.observe(x); x *= 1.37 }
        return r
    }

    /// Runs the decoder script on both expositions; its JSON output.
    static func check(protobuf: [UInt8], text: [UInt8], ignoring prefix: String? = nil) async throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pb = dir.appendingPathComponent("metrics.pb"), txt = dir.appendingPathComponent("metrics.txt")
        try Data(protobuf).write(to: pb)
        try Data(text).write(to: txt)
        let script = repositoryRoot.appendingPathComponent("Tests/peers/prometheus_protobuf_check.py").path
        let result = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", [script, pb.path, txt.path] + (prefix.map { [$0] } ?? []))
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(result.status == 0, "mismatches: \(json["mismatches"] ?? result.stderr)")
        return json
    }

    @Test("every family type decodes with the protobuf runtime and equals the 0.0.4 text's values",
          .enabled(if: Peers.hasPrometheusClient))
    func decodedEqualsText() async throws {
        let r = try Self.registry()
        var protobuf: [UInt8] = []
        PrometheusProtobufEncoder().encode(registry: r, into: &protobuf)
        var text: [UInt8] = []
        PrometheusTextEncoder().encode(registry: r, into: &text)
        let json = try await Self.check(protobuf: protobuf, text: text)
        let families = json["families"] as? [String: [String: Any]] ?? [:]
        #expect(Set(families.keys) == ["jobs_total", "queue_depth", "classic_seconds", "native_seconds", "both_seconds"])
        // 2 counter, 1 gauge, 3 + 2 classic, 2 × 2 native-only (+Inf is the count), 3 + 2 both.
        #expect(json["text_samples"] as? Int == 17)
        #expect(families["jobs_total"]?["type"] as? String == "counter")
        #expect(families["jobs_total"]?["help"] as? String == "Jobs \"done\".\nSecond line.")
        #expect(families["queue_depth"]?["type"] as? String == "gauge")

        // The native histogram: schema 3 as configured, no classic buckets, the zero bucket holds
        // the 0, count = zero + buckets (the script checks), negatives decoded.
        let native = families["native_seconds"]?["series"] as? [[String: Any]] ?? []
        let read = try #require(native.first { ($0["labels"] as? [String: String])?["op"] == "read" })
        #expect((read["labels"] as? [String: String])?["environment"] == "test")
        #expect((read["buckets"] as? [Any])?.isEmpty == true)
        let n = try #require(read["native"] as? [String: Any])
        #expect(n["schema"] as? Int == 3)
        #expect(n["zero_count"] as? Int == 1)
        #expect(n["exemplars"] as? Int == 1)
        let negative = n["negative"] as? [String: Int] ?? [:]
        #expect(negative.values.reduce(0, +) == 2)
        // Prometheus numbering at schema 3: 3 lies in (2^(12/8), 2^(13/8)] = (2.83, 3.08]: index 13.
        #expect((n["positive"] as? [String: Int])?["13"] == 3)
        let idle = try #require(native.first { ($0["labels"] as? [String: String])?["op"] == "idle" })
        #expect((idle["native"] as? [String: Any]) != nil, "an empty native histogram must still read as native")

        // Both: classic buckets and native ones, the native reduced to fit 40 buckets.
        let both = try #require((families["both_seconds"]?["series"] as? [[String: Any]])?.first)
        #expect((both["buckets"] as? [Any])?.count == 3)
        let bn = try #require(both["native"] as? [String: Any])
        let buckets = (bn["positive"] as? [String: Int] ?? [:]).count
        #expect(buckets <= 40 && buckets > 20)
        #expect((bn["schema"] as? Int ?? 99) < 8)
    }

    @Test("Prometheus' Accept headers: protobuf with native histograms enabled, OpenMetrics without; */* stays text")
    func negotiation() {
        let withNative = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        let without = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(ExpositionFormat.negotiate(accept: withNative) == .protobuf)
        #expect(ExpositionFormat.negotiate(accept: without) == .openMetrics)
        #expect(ExpositionFormat.negotiate(accept: "*/*") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.3,text/plain") == .prometheusText)
    }

    @Test("the endpoint answers a protobuf Accept with the delimited content type, gzipped when asked, and the body decodes",
          .enabled(if: Peers.hasPrometheusClient), .timeLimit(.minutes(5)))
    func endpointServesProtobuf() async throws {
        let r = try Self.registry()
        try await withExporter(registry: r) { port in
            let accept = ("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
            let plain = try await get("http://127.0.0.1:\(port)/metrics", headers: [accept])
            #expect(plain.status == 200)
            #expect(plain.headers.first(name: "Content-Type") == ExpositionFormat.protobuf.contentType)
            let zipped = try await get("http://127.0.0.1:\(port)/metrics", headers: [accept, ("Accept-Encoding", "gzip")])
            #expect(zipped.headers.first(name: "Content-Encoding") == "gzip")
            #expect(zipped.headers.first(name: "Content-Type") == ExpositionFormat.protobuf.contentType)
            // Text scrapers are unaffected; the text read now has the endpoint's own metrics too.
            let classic = try await get("http://127.0.0.1:\(port)/metrics")
            #expect(classic.headers.first(name: "Content-Type") == ExpositionFormat.prometheusText.contentType)
            let json = try await Self.check(protobuf: Array(plain.body), text: Array(classic.body), ignoring: "agent_telemetry_")
            #expect(json["text_samples"] as? Int == 17)
        }
    }

    @Test("spans: short zero runs stay inside a span, long ones start a new one, offsets in Prometheus numbering")
    func spans() {
        let run = NativeBucketRun(offset: -3, counts: [1, 0, 0, 2, 0, 0, 0, 5])
        let spans = PrometheusProtobufEncoder.spans(of: run)
        #expect(spans.map(\.offset) == [-2, 3])
        #expect(spans.map(\.length) == [4, 1])
    }
}
