import AgentTelemetry
import AgentTelemetryTesting
import AgentTelemetryStatsD
import AgentTelemetryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("StatsD exporter over a Unix domain socket")
struct StatsDExporterUnixSocketTests {
    static func tempPath() -> String {
        "/tmp/at-statsd-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    }

    @Test func linesArriveAtASocketTheTestBinds() async throws {
        let path = Self.tempPath()
        let receiver = try TestDatagramReceiver.unix(path: path)
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            transport: .unixDomainSocket(path: path), flavour: .dogStatsD))
        #expect(exporter.configuration.effectiveMaxPacketSize == 8192)
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["tool"])
        var datagrams: [[UInt8]] = []
        // Aggregated (the default): the lines carry sums, which add up to the registry's totals.
        func totals(_ datagrams: [[UInt8]]) -> [String: Int] {
            var sums: [String: Int] = [:]
            for line in lines(of: datagrams) {
                let parts = line.split(separator: "|")
                guard parts.count == 3, let value = Int(parts[0].dropFirst("calls_total:".count)) else { continue }
                sums[String(parts[2].dropFirst("#tool:".count)), default: 0] += value
            }
            return sums
        }
        try await withRunning(exporter) {
            for i in 0..<1000 { calls.labels("tool\(i % 3)").increment() }
            datagrams = await receiver.collect { totals($0).values.reduce(0, +) >= 1000 }
        }
        #expect(datagrams.allSatisfy { $0.count <= 8192 })
        #expect(lines(of: datagrams).allSatisfy { $0.hasPrefix("calls_total:") && $0.contains("|c|#tool:tool") })
        #expect(totals(datagrams) == ["tool0": 334, "tool1": 333, "tool2": 333])
    }

    @Test func aMissingSocketIsCountedAsSendErrorsWithoutStoppingTheExporter() async throws {
        let path = Self.tempPath()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            transport: .unixDomainSocket(path: path), flushInterval: .milliseconds(20)))
        let calls = try registry.counter("calls_total", help: "h")
        try await withRunning(exporter) {
            calls.labels().increment()
            await exporter.flush()
            #expect(registry.sumOfSeries("agent_telemetry_statsd_send_errors_total") >= 1)
            #expect(registry.sumOfSeries("agent_telemetry_statsd_lines_dropped_total", matching: ["reason": "send_error"]) >= 1)
            // The server starts: lines flow.
            let receiver = try TestDatagramReceiver.unix(path: path)
            let delivered = await eventually {
                calls.labels().increment()
                await exporter.flush()
                return lines(of: receiver.receiveAvailable()).contains("calls_total:1|c")
            }
            #expect(delivered)
        }
    }
}
