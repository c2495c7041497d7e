import AgentTelemetryTestSupport
import Foundation
import Testing

/// The demo traces its requests; a real Prometheus with exemplar storage scrapes it (in
/// OpenMetrics, which it asks for first) and answers `/api/v1/query_exemplars` with them.
@Suite("Exemplars stored by a real Prometheus")
struct ExemplarStorageTests {
    static let enabled = AssetTools.available(AssetTools.prometheus != nil, "prometheus is not installed")

    static func isHex(_ s: String?, length: Int) -> Bool {
        guard let s, s.utf8.count == length else { return false }
        return s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } && s.utf8.contains { $0 != 48 }
    }

    @Test("query_exemplars returns the demo's trace and span ids on the tool latency buckets and the tool counter; each value lies in its bucket",
          .enabled(if: enabled), .timeLimit(.minutes(3)))
    func prometheusStoresTheDemosExemplars() async throws {
        let executable = try #require(DemoReplica.executable,
                                      "agent-telemetry is not built next to the tests; run swift build --build-tests")
        let demo = try DemoReplica(executable: executable, port: try FreePort.find(), rate: 20, seed: 7)
        defer { demo.stop() }
        let serving = await eventually(timeout: .seconds(60)) { (try? await get(demo.metricsURL).status) == 200 }
        try #require(serving, "the demo does not serve /metrics: \(demo.log())")

        let server = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(demo.port)", extraFlags: ["--enable-feature=exemplar-storage"])
        defer { server.stop() }

        let histogram = "agent_tool_execution_duration_seconds_bucket"
        var series: [[String: Any]] = []
        let stored = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
            series = (try? await server.exemplars(histogram)) ?? []
            return series.contains { ($0["exemplars"] as? [[String: Any]])?.isEmpty == false }
        }
        #expect(stored, "Prometheus returned no exemplar for \(histogram); log: \(server.log())")

        var traces = Set<String>()
        var checked = 0
        for s in series {
            let labels = s["seriesLabels"] as? [String: String] ?? [:]
            #expect(labels["__name__"] == histogram)
            let le = labels["le"].flatMap { $0 == "+Inf" ? Double.infinity : Double($0) }
            for e in s["exemplars"] as? [[String: Any]] ?? [] {
                let el = e["labels"] as? [String: String] ?? [:]
                #expect(Self.isHex(el["trace_id"], length: 32), "trace_id \(el)")
                #expect(Self.isHex(el["span_id"], length: 16), "span_id \(el)")
                #expect(Set(el.keys) == ["trace_id", "span_id"])
                let value = (e["value"] as? String).flatMap(Double.init)
                #expect((value ?? .infinity) <= (le ?? -.infinity), "exemplar value \(String(describing: value)) above its bucket le=\(String(describing: le))")
                if let ts = e["timestamp"] as? Double { #expect(abs(ts - Date().timeIntervalSince1970) < 600) }
                if let t = el["trace_id"] { traces.insert(t) }
                checked += 1
            }
        }
        #expect(checked > 0)
        #expect(traces.count > 1, "every exemplar names the same trace: the demo should trace each request apart")

        let counter = try await server.exemplars("agent_tool_executions_total")
        let counterExemplars = counter.flatMap { $0["exemplars"] as? [[String: Any]] ?? [] }
        #expect(!counterExemplars.isEmpty, "no exemplar on the counter")
        #expect(counterExemplars.allSatisfy { Self.isHex(($0["labels"] as? [String: String])?["trace_id"], length: 32) })
    }
}
