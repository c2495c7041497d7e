import AgentTelemetry
import Foundation
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing
@testable import AgentTelemetryPrometheus

@Suite("Textfile collector output")
struct TextfileWriterTests {
    @Test("writeOnce replaces the file atomically and leaves no temporary file behind")
    func atomicWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("agent.prom").path
        let registry = MetricRegistry()
        let c = try registry.counter("agent_jobs_total", help: "Jobs.")
        let writer = try PrometheusTextfileWriter(registry: registry, path: path)
        c.series.increment(by: 1)
        try writer.writeOnce()
        c.series.increment(by: 2)
        try writer.writeOnce()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# HELP agent_jobs_total Jobs.\n# TYPE agent_jobs_total counter\nagent_jobs_total 3\n"))
        // The writer's own counter is in the registry too: the file shows the writes before this one.
        #expect(text.contains("agent_telemetry_textfile_writes_total{result=\"success\"} 1\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["agent.prom"])
    }

    @Test("a directory that does not exist is refused when the writer is created, naming it")
    func missingDirectoryRefusedAtInit() {
        #expect { try PrometheusTextfileWriter(registry: MetricRegistry(), path: "/nonexistent-dir/agent.prom") } throws: {
            String(describing: $0).contains("/nonexistent-dir")
        }
    }

    @Test("a directory removed after the writer was created is a clear write error naming the path")
    func unwritable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("agent.prom").path
        let registry = MetricRegistry()
        let writer = try PrometheusTextfileWriter(registry: registry, path: path)
        try writer.writeOnce()
        try FileManager.default.removeItem(at: dir)
        #expect { try writer.writeOnce() } throws: { String(describing: $0).contains(path) }
        #expect { try writer.writeOnce() } throws: { String(describing: $0).contains(path) }
        // Counted, not only logged (the one failure policy of every exporter).
        #expect(registry.counterValue("agent_telemetry_textfile_writes_total", ["result": "failure"]) == 2)
        #expect(registry.counterValue("agent_telemetry_textfile_writes_total", ["result": "success"]) == 1)
        let last = try #require(registry.gaugeValue("agent_telemetry_textfile_last_success_timestamp_seconds", [:]))
        #expect(abs(last - Date().timeIntervalSince1970) < 3600, "the last good write's Unix time, not a duration")
    }

    @Test("run writes on its interval and once more when cancelled")
    func periodic() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("agent.prom").path
        let registry = MetricRegistry()
        let g = try registry.gauge("agent_level", help: "Level.")
        g.series.set(1)
        // A manual clock decides when the interval has passed, so a busy machine cannot make
        // the test miss a write it waited for.
        let clock = ManualClock()
        let writer = try PrometheusTextfileWriter(
            registry: registry, configuration: PrometheusTextfileConfiguration(path: path, interval: .seconds(15)),
            clock: clock.telemetryClock)
        func contents() -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let task = Task { try await writer.run() }
        // The first write is at once; then the writer sleeps on the clock.
        await clock.waitForSleepers()
        #expect(contents().contains("agent_level 1\n"))
        g.series.set(2)
        clock.advance(by: .seconds(14))
        #expect(contents().contains("agent_level 1\n"), "no write before the interval has passed")
        clock.advance(by: .seconds(1))
        // The interval's write has happened once the writer sleeps again.
        #expect(await eventually(timeout: .seconds(120)) { contents().contains("agent_level 2\n") })
        g.series.set(3)
        task.cancel()
        _ = try? await task.value
        #expect(contents().contains("agent_level 3\n"), "one more write when cancelled")
        #expect(registry.counterValue("agent_telemetry_textfile_writes_total", ["result": "success"]) == 3)
    }
}
