import AgentTelemetry
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Foundation
import Testing
@testable import AgentTelemetryPrometheus

/// Exemplars in the exposition, read back by prometheus-client's OpenMetrics parser (which
/// enforces the format's exemplar rules, the 128-character label set included).
@Suite("Exemplars in the exposition")
struct ExemplarExpositionTests {
    static let a = TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7")!
    static let b = TraceReference(traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331")!

    /// One row per sample that has an exemplar: name, labels, exemplar labels, value, timestamp.
    struct Row: Sendable {
        var name: String
        var labels: [String: String]
        var exemplarLabels: [String: String]
        var value: Double
        var timestamp: Double?
    }

    static func parseExemplars(_ body: [UInt8]) async throws -> (rows: [Row], samples: Int) {
        let script = """
        import sys, json
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        rows, samples = [], 0
        for fam in text_string_to_metric_families(sys.stdin.read()):
            for s in fam.samples:
                samples += 1
                if s.exemplar is not None:
                    ts = s.exemplar.timestamp
                    rows.append([s.name, s.labels, s.exemplar.labels, s.exemplar.value, float(ts) if ts is not None else None])
        print(json.dumps({"rows": rows, "samples": samples}))
        """
        let result = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", ["-c", script], stdin: Data(body))
        try #require(result.status == 0, "the OpenMetrics parser refused the exposition: \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let rows = (json["rows"] as? [[Any]] ?? []).map { r in
            Row(name: r[0] as? String ?? "", labels: r[1] as? [String: String] ?? [:],
                exemplarLabels: r[2] as? [String: String] ?? [:], value: r[3] as? Double ?? .nan, timestamp: r[4] as? Double)
        }
        return (rows, json["samples"] as? Int ?? 0)
    }

    @Test("OpenMetrics writes each bucket's latest exemplar and the counter's; the parser reads back the trace, span, value and time; 0.0.4 writes none",
          .enabled(if: Peers.hasPrometheusClient))
    func exemplarsParseWithTheOpenMetricsParser() async throws {
        let before = Date().timeIntervalSince1970
        try await withTestTelemetry { t in
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(30)), trace: Self.a)
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(40)), trace: Self.b)  // same bucket: b wins
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .seconds(3)), trace: Self.a)
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(700)))  // untraced
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(1)), trace: Self.b)
            await t.settle()
            let after = Date().timeIntervalSince1970

            var live: [UInt8] = []
            PrometheusTextEncoder(format: .openMetrics).encode(registry: t.registry, into: &live)
            let snapshot = PrometheusTextEncoder(format: .openMetrics).encode(t.registry.snapshot())
            for (path, body) in [("registry", live), ("snapshot", snapshot)] {
                let (rows, samples) = try await Self.parseExemplars(body)
                #expect(samples > 20, "\(path): the parser saw \(samples) samples")
                let bounds = try #require(t.histogramValue("agent_tool_execution_duration_seconds", ["tool": "search", "vertical": "general"])).bounds
                func bucket(_ v: Double) -> String {
                    let le = bounds.first { v <= $0 }
                    guard let le else { return "+Inf" }
                    var text: [UInt8] = []
                    NumberFormatting.appendDouble(le, to: &text, openMetricsStyle: true)
                    return String(decoding: text, as: UTF8.self)
                }
                let buckets = rows.filter { $0.name == "agent_tool_execution_duration_seconds_bucket" }
                let byLe = Dictionary(buckets.map { ($0.labels["le"] ?? "?", $0) }, uniquingKeysWith: { x, _ in x })
                #expect(byLe.count == 3, "\(path): exemplars on \(byLe.keys.sorted()), expected three buckets")
                #expect(byLe[bucket(0.04)]?.exemplarLabels == ["trace_id": Self.b.traceIDHex, "span_id": Self.b.spanIDHex], "\(path)")
                #expect(byLe[bucket(0.04)]?.value == Duration.milliseconds(40).seconds)
                #expect(byLe[bucket(3)]?.exemplarLabels["trace_id"] == Self.a.traceIDHex)
                #expect(byLe[bucket(0.001)]?.exemplarLabels["span_id"] == Self.b.spanIDHex)
                #expect(byLe[bucket(0.7)] == nil || bucket(0.7) == bucket(3), "\(path): the untraced observation's bucket has an exemplar")
                for row in rows {
                    let ts = try #require(row.timestamp)
                    #expect(ts >= before - 1 && ts <= after + 1, "\(path): exemplar time \(ts) outside [\(before), \(after)]")
                    let labelText = row.exemplarLabels.map { $0.key + $0.value }.joined()
                    #expect(labelText.count <= 128)
                }
                let counter = rows.filter { $0.name == "agent_tool_executions_total" && $0.labels["tool"] == "search" }
                #expect(counter.count == 1)
                #expect(counter.first?.exemplarLabels["trace_id"] == Self.b.traceIDHex, "\(path): the counter keeps the latest increment's trace")
                #expect(counter.first?.value == 1)
                #expect(!rows.contains { $0.name.hasSuffix("_created") || $0.name.hasSuffix("_count") || $0.name.hasSuffix("_sum") })
            }
            var text = PrometheusTextEncoder().encode(t.registry.snapshot())
            PrometheusTextEncoder().encode(registry: t.registry, into: &text)
            #expect(!String(decoding: text, as: UTF8.self).contains(" # {"), "the 0.0.4 text format has no exemplars")
        }
    }
}
