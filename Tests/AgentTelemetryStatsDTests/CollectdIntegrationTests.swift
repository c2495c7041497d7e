import AgentTelemetry
import AgentTelemetryTesting
import AgentTelemetryStatsD
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import AgentTelemetryTestSupport
import Testing

/// Where collectd is installed, if it is.
let collectdPath: String? = ["/usr/sbin/collectd", "/usr/local/sbin/collectd"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// The etsy flavour against a real StatsD server: collectd's statsd plugin, read back through
/// its csv plugin (one file per value: `<type>-<name>[-<aggregate>]-<date>`, rows `epoch,value`).
@Suite("collectd statsd integration", .enabled(if: Peers.available(collectdPath, "collectd (Debian collectd-core)")))
struct CollectdIntegrationTests {

    /// The values of every csv file in `dir` whose name starts with `prefix`.
    static func values(in dir: URL, prefix: String) -> [Double] {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return files.filter { $0.hasPrefix(prefix) }.flatMap { file -> [Double] in
            guard let text = try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8) else { return [] }
            return text.split(separator: "\n").dropFirst().compactMap { row in
                row.split(separator: ",").last.flatMap { Double($0) }
            }
        }
    }

    @Test func countersGaugesAndTimersAreRecordedByCollectd() async throws {
        guard let collectd = collectdPath else { return }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("at-collectd-\(UUID().uuidString)")
        let data = base.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let port = try TestDatagramReceiver.closedUDPPort()
        let conf = """
            Hostname "agenttelemetry"
            FQDNLookup false
            Interval 1
            BaseDir "\(base.path)"
            PIDFile "\(base.path)/collectd.pid"
            AutoLoadPlugin false
            LoadPlugin statsd
            LoadPlugin csv
            <Plugin statsd>
              Host "127.0.0.1"
              Port "\(port)"
              DeleteCounters false
              DeleteTimers false
              DeleteGauges false
              TimerPercentile 90
              TimerCount true
              TimerSum true
              CounterSum true
            </Plugin>
            <Plugin csv>
              DataDir "\(data.path)"
              StoreRates false
            </Plugin>

            """
        let confURL = base.appendingPathComponent("collectd.conf")
        try conf.write(to: confURL, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: collectd)
        process.arguments = ["-f", "-C", confURL.path]
        let log = base.appendingPathComponent("collectd.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        defer {
            // SIGKILL: the test runner's thread may have SIGTERM blocked, and collectd inherits
            // that mask, so a plain terminate() can leave it running.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? logHandle.close()
        }
        // collectd listens once the port can no longer be bound by us.
        let listening = await eventually(timeout: .seconds(180)) {
            (try? TestDatagramReceiver.udp(port: port)) == nil
        }
        let startupLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(listening, "collectd did not start listening: \(startupLog)")
        guard listening else { return }

        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: port, flavour: .etsy, prefix: "agent."))
        let calls = try registry.counter("tool_calls_total", help: "h", labelNames: ["tool"])
        let depth = try registry.gauge("queue_depth", help: "h")
        let duration = try registry.histogram("tool_duration_seconds", help: "h", unit: .seconds)

        let dir = data.appendingPathComponent("agenttelemetry").appendingPathComponent("statsd")
        try await withRunning(exporter) {
            calls.labels("search").increment(by: 3)
            calls.labels("search").increment(by: 2)
            depth.labels().set(7)
            depth.labels().set(-4)
            // Two observations in one flush, so collectd aggregates them in one interval.
            duration.labels().observe(0.1)
            duration.labels().observe(0.3)
            await exporter.flush()

            // Counters are "derive" (running total); gauges "gauge"; timers "latency" in seconds.
            let recorded = await eventually(timeout: .seconds(180)) {
                Self.values(in: dir, prefix: "derive-agent.tool_calls_total.search-").last == 5
                    && Self.values(in: dir, prefix: "gauge-agent.queue_depth-").last == -4
                    && Self.values(in: dir, prefix: "latency-agent.tool_duration-average-").contains { abs($0 - 0.2) < 1e-6 }
                    && Self.values(in: dir, prefix: "gauge-agent.tool_duration-count-").contains(2)
            }
            #expect(recorded, """
                collectd recorded: derive \(Self.values(in: dir, prefix: "derive-agent.tool_calls_total.search-")), \
                gauge \(Self.values(in: dir, prefix: "gauge-agent.queue_depth-")), \
                timer average \(Self.values(in: dir, prefix: "latency-agent.tool_duration-average-")), \
                timer count \(Self.values(in: dir, prefix: "gauge-agent.tool_duration-count-")), \
                files \((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                """)
            #expect(Self.values(in: dir, prefix: "latency-agent.tool_duration-sum-").contains { abs($0 - 0.4) < 1e-6 })
        }
        #expect(registry.sumOfSeries("agent_telemetry_statsd_send_errors_total") == 0)
    }
}
