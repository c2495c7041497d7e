import AgentTelemetry
import Foundation
import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryPrometheus

/// The exposition is checked by the real parsers: PyPI prometheus-client and promtool.
@Suite("Round trip through real parsers")
struct RoundTripTests {
    /// A registry with every kind of family and hostile label values.
    static func hostileRegistry() throws -> MetricRegistry {
        let r = MetricRegistry()
        let c = try r.counter("agent_tool_executions_total", help: "Tool executions \\ with \"quotes\"\nand newline.", labelNames: ["tool", "outcome"])
        c.labels(["read\"file", "success"]).increment(by: 7)
        c.labels(["back\\slash", "failure"]).increment(by: 2)
        c.labels(["new\nline", "success"]).increment(by: 1)
        c.labels([String(decoding: [0x66, 0xFF, 0x6F], as: UTF8.self), "success"]).increment(by: 4)
        let g = try r.gauge("agent_active_users", help: "Active users.")
        g.series.set(12)
        let h = try r.histogram("agent_request_duration_seconds", help: "Request duration.", unit: .seconds, labelNames: ["endpoint"], buckets: [0.05, 0.5, 5])
        for v in [0.01, 0.2, 0.3, 7.0] { h.labels(["/v1/chat"]).observe(v) }
        return r
    }

    @Test("prometheus-client's parser reads back the same names, labels and values",
          .enabled(if: Peers.hasPrometheusClient))
    func pythonParser() async throws {
        let body = PrometheusTextEncoder().encode(try Self.hostileRegistry().snapshot())
        let script = """
        import sys, json
        from prometheus_client.parser import text_string_to_metric_families
        out = []
        for fam in text_string_to_metric_families(sys.stdin.read()):
            for s in fam.samples:
                out.append([fam.name, fam.type, s.name, sorted(s.labels.items()), s.value])
        print(json.dumps(out))
        """
        let result = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", ["-c", script], stdin: Data(body))
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]] ?? []
        func value(_ sample: String, _ labels: [String: String]) -> Double? {
            for row in parsed where row[2] as? String == sample {
                let pairs = (row[3] as? [[String]] ?? []).reduce(into: [String: String]()) { $0[$1[0]] = $1[1] }
                if pairs == labels { return row[4] as? Double }
            }
            return nil
        }
        #expect(value("agent_tool_executions_total", ["tool": "read\"file", "outcome": "success"]) == 7)
        #expect(value("agent_tool_executions_total", ["tool": "back\\slash", "outcome": "failure"]) == 2)
        #expect(value("agent_tool_executions_total", ["tool": "new\nline", "outcome": "success"]) == 1)
        #expect(value("agent_tool_executions_total", ["tool": "f\u{FFFD}o", "outcome": "success"]) == 4)
        #expect(value("agent_active_users", [:]) == 12)
        #expect(value("agent_request_duration_seconds_bucket", ["endpoint": "/v1/chat", "le": "0.5"]) == 3)
        #expect(value("agent_request_duration_seconds_bucket", ["endpoint": "/v1/chat", "le": "+Inf"]) == 4)
        #expect(value("agent_request_duration_seconds_count", ["endpoint": "/v1/chat"]) == 4)
        #expect(abs((value("agent_request_duration_seconds_sum", ["endpoint": "/v1/chat"]) ?? 0) - 7.51) < 1e-9)
        #expect(parsed.contains { $0[0] as? String == "agent_tool_executions" && $0[1] as? String == "counter" })
    }

    @Test("promtool check metrics reports no error and no lint warning",
          .enabled(if: Peers.available(Peers.promtool, "promtool")))
    func promtoolLint() async throws {
        let body = PrometheusTextEncoder().encode(try Self.hostileRegistry().snapshot())
        let result = try await Peers.run(Peers.promtool ?? "promtool", ["check", "metrics"], stdin: Data(body))
        #expect(result.status == 0, "promtool: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.isEmpty && !result.stderr.contains("error"), "promtool: \(result.stdout) \(result.stderr)")
    }

    @Test("the standard catalog's exposition passes promtool lint",
          .enabled(if: Peers.available(Peers.promtool, "promtool")))
    func catalogLint() async throws {
        let t = try Telemetry().started()
        t.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(20)))
        t.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .seconds(1), inputTokens: 10, outputTokens: 5))
        t.emit(SessionStarted(sessionID: "s", userID: "u"))
        t.emit(CacheAccess(cache: "c", result: .hit))
        await t.flush()
        let body = PrometheusTextEncoder().encode(t.registry.snapshot())
        let result = try await Peers.run(Peers.promtool ?? "promtool", ["check", "metrics"], stdin: Data(body))
        // `gen_ai_client_token_usage` is an OpenTelemetry convention name without a unit suffix; promtool has no rule against it.
        #expect(result.status == 0, "promtool: \(result.stdout) \(result.stderr)")
        await t.shutdown()
    }

    @Test("OpenMetrics output parses with prometheus-client's OpenMetrics parser",
          .enabled(if: Peers.hasPrometheusClient))
    func openMetricsParser() async throws {
        let body = PrometheusTextEncoder(format: .openMetrics).encode(try Self.hostileRegistry().snapshot())
        let script = """
        import sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        n = 0
        for fam in text_string_to_metric_families(sys.stdin.read()):
            for s in fam.samples:
                n += 1
                if s.name == 'agent_tool_executions_total' and s.labels.get('tool') == 'read"file': print('tool', s.value)
        print('samples', n)
        """
        let result = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", ["-c", script], stdin: Data(body))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tool 7"))
    }
}
