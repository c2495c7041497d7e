import AgentTelemetry
import AgentTelemetryReport
import AgentTelemetryPrometheus
import AgentTelemetryRuntime
import AgentTelemetryTestSupport
import Foundation
import Testing

@Suite("Report from a real Prometheus scraping the demo workload")
struct PrometheusIntegrationTests {
    static let probe = "report_probe"

    @Test("every section has values, and the report agrees with the events emitted",
          .enabled(if: Peers.available(Peers.prometheus, "prometheus")), .timeLimit(.minutes(5)))
    func demoReport() async throws {
        let config = try ConfigurationLoader.load(yaml: "service: {name: report-test}\nexporters:\n  prometheus: {port: 0}\n",
                                                  source: "test", environment: [:])
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        let running = Task { try await runtime.run() }
        let port = try await #require(runtime.exporter(ofType: PrometheusExporter.self)).waitUntilBound()
        let prometheus = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)")
        defer { prometheus.stop() }

        var emitted: [any TelemetryEvent] = []
        func emit(_ events: [any TelemetryEvent]) {
            for event in events { runtime.telemetry.emit(event) }
            emitted += events
        }
        var workload = DemoWorkload(seed: 7)
        emit(workload.startupEvents())
        for _ in 0..<300 { emit(workload.nextRequest()) }
        // Phase 1 creates the probe series; Prometheus's increase() counts from its first sample.
        emit([probeEvent(.success), probeEvent(.failure)])
        await runtime.telemetry.flush()
        let base = "agent_tool_executions_total{tool=\"\(Self.probe)\""
        #expect(try await eventually { try await prometheus.query("\(base),outcome=\"failure\"}") == 1 })
        // Phase 2: exactly 6 successes and 2 failures more, among more demo traffic.
        emit(Array(repeating: probeEvent(.success), count: 6) + Array(repeating: probeEvent(.failure), count: 2))
        for _ in 0..<300 { emit(workload.nextRequest()) }
        await runtime.telemetry.flush()
        #expect(try await eventually { try await prometheus.query("\(base),outcome=\"failure\"}") == 3 })
        // Several more samples, so that extrapolation treats both probe series alike: wait until
        // Prometheus has stored five more scrapes of the failure series.
        let samples = "count_over_time(\(base),outcome=\"failure\"}[15m])"
        let stored = try await prometheus.query(samples) ?? 0
        #expect(try await eventually { (try await prometheus.query(samples) ?? 0) >= stored + 5 })

        let client = PrometheusAPIClient(baseURL: "http://127.0.0.1:\(prometheus.port)")
        let range = try #require(ReportTimeRange("15m"))
        let now = Date()
        let report = try await ReportGenerator().generate(
            source: PrometheusDataSource(client: client, range: range, end: now), sourceKind: "prometheus",
            sourceLocation: client.baseURL, timeRange: range, alertSources: [client], generatedAt: now)

        for section in report.sections {
            #expect(section.rows.contains { $0.value != nil }, "section \(section.id) has no value")
        }
        for id in ["request_latency_p95", "chat_latency_p95", "tool_latency_p95", "provider_latency_p95", "resident_memory",
                   "cpu_time", "tokens_total", "requests_total", "active_users", "active_users_peak"] {
            #expect(row(report, id)?.value != nil, "\(id) is missing")
        }
        // The probe's success ratio over the window is 6 of 8 new executions; increase() extrapolates
        // each series on its own (limited by its distance to zero), so allow a few points.
        let ratio = try #require(row(report, "tool_success_ratio", tool: Self.probe)?.value)
        #expect(abs(ratio - 75) < 5, "\(ratio)")
        // increase() extrapolates to the window's edges, so the count is 8 scaled up by less than half.
        let count = try #require(row(report, "tool_executions", tool: Self.probe)?.value)
        #expect(count >= 8 && count < 12, "\(count)")
        #expect(report.header.service["job"] == "agent")
        #expect(report.header.service["instance"] == "127.0.0.1:\(port)")
        #expect(report.alerts == [])

        // The same endpoint read as an exposition gives totals equal to what was emitted.
        let exposition = try await ExpositionLoader.load(url: "http://127.0.0.1:\(port)/metrics")
        let pointInTime = try await ReportGenerator().generate(
            source: ExpositionDataSource(exposition: exposition), sourceKind: "exposition", sourceLocation: "test", timeRange: nil)
        var perTool: [String: Int] = [:]
        for case let tool as ToolExecuted in emitted { perTool[tool.tool, default: 0] += 1 }
        for (tool, expected) in perTool {
            #expect(row(pointInTime, "tool_executions", tool: tool)?.value == Double(expected), "\(tool)")
        }
        #expect(row(pointInTime, "tool_success_ratio", tool: Self.probe)?.value == 70)
        let requests = emitted.filter { $0 is RequestHandled }.count
        #expect(row(pointInTime, "requests_total")?.value == Double(requests))
        for section in pointInTime.sections {
            #expect(section.rows.contains { $0.value != nil }, "section \(section.id) has no value")
        }

        await runtime.shutdown()
        try await running.value
    }

    func probeEvent(_ outcome: Outcome) -> ToolExecuted {
        ToolExecuted(tool: Self.probe, outcome: outcome, duration: .milliseconds(20))
    }

    func row(_ report: Report, _ measurement: String, tool: String? = nil) -> ReportRow? {
        report.sections.flatMap(\.rows).first { $0.measurement == measurement && (tool == nil || $0.labels["tool"] == tool) }
    }
}
