import AgentTelemetry
import AgentTelemetryRuntime
import Foundation
import InfluxExporter
import Logging
import Testing

@Suite("The influxdb exporter plug-in against a real InfluxDB")
struct InfluxExporterTests {
    @Test("enabled from YAML alone, it writes counters and histogram counts that InfluxQL reads back as emitted",
          .enabled(if: InfluxDBServer.available), .timeLimit(.minutes(3)))
    func roundTrip() async throws {
        let server = try await InfluxDBServer.start()
        defer { server.stop() }
        _ = try await server.query("CREATE DATABASE agent_test")
        let yaml = """
            service:
              name: influx-test
            exporters:
              prometheus:
                enabled: false
              influxdb:
                url: \(server.baseURL)
                database: agent_test
                interval: 1s
            """
        let config = try ConfigurationLoader.load(yaml: yaml, source: "influx.yaml", plugins: .withInflux)
        #expect(config.settings(of: InfluxExporterKind.self)?.database == "agent_test")
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        let exporter = try #require(runtime.exporter(ofType: InfluxExporter.self), "the YAML section alone enables the exporter")
        #expect(exporter.configuration.interval == .seconds(1))

        let successes = 31, failures = 6
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await runtime.run() }
            for i in 0..<(successes + failures) {
                runtime.telemetry.emit(ToolExecuted(tool: "lookup", outcome: i < successes ? .success : .failure,
                                                    duration: .milliseconds(5 + i)))
            }
            await runtime.telemetry.flush()
            await runtime.shutdown()  // the final write carries everything emitted
            try await tasks.waitForAll()
        }

        // What the registry holds is what was emitted…
        let snapshot = runtime.telemetry.registry.snapshot()
        let counter = try #require(snapshot.family(named: "agent_tool_executions_total"))
        let registryTotal = counter.series.reduce(0.0) { sum, s in if case .counter(let v) = s.value { sum + v } else { sum } }
        #expect(registryTotal == Double(successes + failures))

        // …and InfluxDB holds the same: the last point of each series, summed over the series.
        let counted = try await lastValues(server, field: "value", measurement: "agent_tool_executions_total")
        #expect(counted.count == 2, "one series per outcome: \(counted)")
        #expect(counted.reduce(0, +) == Double(successes + failures))
        #expect(Set(counted) == [Double(successes), Double(failures)])
        let histogramCounts = try await lastValues(server, field: "count", measurement: "agent_tool_execution_duration_seconds")
        #expect(histogramCounts == [Double(successes + failures)], "one series (by tool, not outcome): \(histogramCounts)")
    }

    /// `SELECT last(<field>) … GROUP BY *`: the latest value of every series of `measurement`.
    func lastValues(_ server: InfluxDBServer, field: String, measurement: String) async throws -> [Double] {
        let series = try await server.query("SELECT last(\"\(field)\") FROM \"\(measurement)\" GROUP BY *", database: "agent_test")
        return series.compactMap { s in
            guard let values = s["values"] as? [[Any]], let row = values.last, row.count == 2 else { return nil }
            return (row[1] as? NSNumber)?.doubleValue
        }
    }

    @Test("a failed write is counted and retried at the next interval; run() keeps going", .timeLimit(.minutes(1)))
    func failedWriteIsCountedAndRetried() async throws {
        // Port 9 on loopback (discard) has no listener here: every write fails at connect (the HTTP
        // client retries a refused connection until the request's timeout, hence a short one).
        let registry = MetricRegistry()
        let exporter = InfluxExporter(registry: registry, configuration: InfluxConfiguration(url: "http://127.0.0.1:9", interval: .seconds(1), timeout: .seconds(2)),
                                      logger: Logger(label: "influx-test"))
        let running = Task { try await exporter.run() }
        // Two failed writes: the first did not end run(), which retried. Polled, bounded by the time limit.
        while Self.failures(registry) < 2 {
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        try await running.value  // run() returns normally after its final (failing) write
        #expect(Self.failures(registry) >= 3)
    }

    /// `agent_telemetry_influxdb_writes_total{result="failure"}`.
    static func failures(_ registry: MetricRegistry) -> Double {
        guard let family = registry.snapshot().family(named: "agent_telemetry_influxdb_writes_total") else { return 0 }
        for series in family.series where series.labels.pairs.contains(where: { $0.0 == "result" && $0.1 == "failure" }) {
            if case .counter(let v) = series.value { return v }
        }
        return 0
    }
}
