import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryPrometheus
import AgentTelemetryRuntime

#if canImport(Glibc)
import Glibc
#endif

@Suite("Runtime with every exporter")
struct RuntimeTests {
    @Test("one run delivers the same counter value to Prometheus text, OTLP and StatsD",
          .enabled(if: OTLPReceiver.available), .timeLimit(.minutes(5)))
    func sameValueEverywhere() async throws {
        let receiver = try await OTLPReceiver()
        defer { receiver.stop() }
        let statsd = try UDPCollector()
        let yaml = """
        service: {name: triple}
        exporters:
          prometheus: {port: 0}
          otlp: {endpoint: "\(receiver.endpoint)", interval: 1h}
          statsd: {port: \(statsd.port), flavor: dogstatsd, flush_interval: 20ms}
        """
        let config = try ConfigurationLoader.load(yaml: yaml, source: "test", environment: [:])
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        let running = Task { try await runtime.run() }
        let port = try await #require(runtime.exporter(ofType: PrometheusExporter.self)).waitUntilBound()
        for _ in 0..<7 {
            runtime.telemetry.emit(ToolExecuted(tool: "grep", vertical: .coding, outcome: .success, duration: .milliseconds(3)))
        }
        await runtime.telemetry.flush()
        let text = String(decoding: try await get("http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)
        #expect(text.contains("agent_tool_executions_total{tool=\"grep\",vertical=\"coding\",outcome=\"success\"} 7\n"))
        // Graceful shutdown makes the final OTLP export and flushes StatsD.
        await runtime.shutdown()
        try await running.value
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(1))
        let metric = try Decoded.requiredMetric("agent.tool_executions", in: requests)
        let point = try Decoded.requiredPoint(metric, ["tool": "grep", "vertical": "coding", "outcome": "success"])
        #expect(Decoded.double(point, "as_double") == 7)
        let lines = await statsd.lines(timeout: .seconds(180)) { lines in
            lines.filter { $0.hasPrefix("agent_tool_executions_total:") && $0.contains("tool:grep") }.count >= 7
        }
        let sent = lines.filter { $0.hasPrefix("agent_tool_executions_total:") && $0.contains("tool:grep") }
            .compactMap { Double($0.split(separator: ":")[1].split(separator: "|")[0]) }.reduce(0, +)
        #expect(sent == 7)
    }

    @Test("TelemetrySystem routes emits to the installed pipeline")
    func globalInstall() async throws {
        let config = try ConfigurationLoader.load(yaml: "exporters: {prometheus: {enabled: false}}", source: "t", environment: [:])
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: true)
        let running = Task { try await runtime.run() }
        TelemetrySystem.emit(FeatureUsed(feature: "global"))
        await runtime.telemetry.flush()
        #expect(runtime.telemetry.registry.snapshot().family(named: "agent_feature_usage_total")?.series.count == 1)
        await runtime.shutdown()
        try await running.value
    }
}

@Suite("The agent-telemetry command")
struct CommandTests {
    static let executable: URL? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent(), repositoryRoot.appendingPathComponent(".build/debug")] {
            let url = candidate.appendingPathComponent("agent-telemetry")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        print("SKIPPED: agent-telemetry is not built next to the tests; run swift build first")
        return nil
    }()

    @Test("demo --duration 5 exits 0 and its /metrics has a series of every catalog category",
          .enabled(if: executable != nil), .timeLimit(.minutes(5)))
    func demo() async throws {
        let port = try FreePort.find()
        let process = try Self.start(["demo", "--duration", "5", "--rate", "200", "--port", String(port), "--progress-interval", "1"])
        // Poll while the demo runs (it serves for 5 s after start-up, which a loaded machine slows).
        var families = Set<String>()
        _ = await eventually(timeout: .seconds(20)) {
            let body = (try? String(decoding: await get("http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)) ?? ""
            families = Set(body.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line -> String in
                String(line.prefix { $0 != "{" && $0 != " " })
            })
            return MetricCategory.allCases.allSatisfy { Self.hasSeries(of: $0, in: families) }
        }
        let (status, output) = await Self.wait(process)
        #expect(status == 0, "\(output)")
        #expect(output.contains("events/s"))
        for category in MetricCategory.allCases {
            #expect(Self.hasSeries(of: category, in: families), "no series of category \(category.rawValue) in /metrics")
        }
    }

    /// Whether `families` (sample names of a scrape) include a metric of `category`.
    static func hasSeries(of category: MetricCategory, in families: Set<String>) -> Bool {
        MetricCatalog.all.filter { $0.category == category }.map { $0.name(namespace: "agent") }
            .contains { n in families.contains(n) || families.contains(n + "_bucket") || families.contains(n + "_count") }
    }

    @Test("SIGTERM in the middle of a run exits 0 after a final flush", .enabled(if: executable != nil), .timeLimit(.minutes(5)))
    func sigterm() async throws {
        let port = try FreePort.find()
        let process = try Self.start(["demo", "--port", String(port)])
        let up = await eventually(timeout: .seconds(180)) { (try? await get("http://127.0.0.1:\(port)/health").status) == 200 }
        #expect(up)
        kill(process.processIdentifier, SIGTERM)
        let (status, output) = await Self.wait(process)
        #expect(status == 0, "\(output)")
        #expect(output.contains("stopped after a final flush"))
        // The workload stops before the bus closes: nothing it emitted is dropped as "shutdown".
        #expect(output.contains(" events dispatched, 0 dropped"), "\(output.suffix(300))")
    }

    @Test("check-config prints the effective configuration, or exits 2 with the problems")
    func checkConfig() async throws {
        let good = try Self.start(["check-config", repositoryRoot.appendingPathComponent("configs/agent-telemetry.yaml").path])
        let (okStatus, okOutput) = await Self.wait(good)
        #expect(okStatus == 0)
        #expect(okOutput.contains("name: \"support-agent\""))
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try "bus:\n  capacty: 10\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let (badStatus, badOutput) = await Self.wait(try Self.start(["check-config", bad.path]))
        #expect(badStatus == 2)
        #expect(badOutput.contains("bus.capacty: unknown key \"capacty\"; did you mean \"capacity\"?"))
    }

    @Test("catalog --format json lists the catalog")
    func catalog() async throws {
        let (status, output) = await Self.wait(try Self.start(["catalog", "--format", "json"]))
        #expect(status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect((json?["metrics"] as? [Any])?.count == TelemetryCatalog.all.count)
    }

    /// The issue's example of views, plus a rename.
    static let viewsYAML = """
        metrics:
          common_labels: {environment: staging, version: "1.4.2"}
          views:
            - match: agent_provider_requests_total
              drop_labels: [model]
            - match: "agent_devops_*"
              deny: true
            - match: agent_tool_execution_duration_seconds
              buckets: [0.05, 0.1, 0.5, 1, 5]
            - match: agent_tool_executions_total
              rename: agent_tool_calls_total
        """

    @Test("catalog --config prints the catalog as the views leave it; the JSON says what was renamed")
    func catalogWithViews() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("views-\(UUID().uuidString).yaml")
        try Self.viewsYAML.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = await Self.wait(try Self.start(["catalog", "--format", "json", "--config", file.path]))
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(json["common_labels"] as? [String: String] == ["environment": "staging", "version": "1.4.2"])
        let metrics = try #require(json["metrics"] as? [[String: Any]])
        func entry(_ name: String) -> [String: Any]? { metrics.first { $0["name"] as? String == name } }
        let renamed = try #require(entry("agent_tool_calls_total"))
        #expect(renamed["registered_name"] as? String == "agent_tool_executions_total")
        #expect(entry("agent_tool_executions_total") == nil)
        #expect(entry("agent_provider_requests_total")?["labels"] as? [String] == ["provider", "outcome"])
        #expect(entry("agent_provider_requests_total")?["dropped_labels"] as? [String] == ["model"])
        #expect(entry("agent_tool_execution_duration_seconds")?["buckets"] as? [Double] == [0.05, 0.1, 0.5, 1, 5])
        let devops = metrics.filter { ($0["name"] as? String)?.hasPrefix("agent_devops_") == true }
        #expect(!devops.isEmpty && devops.allSatisfy { $0["exported"] as? Bool == false })
        #expect(metrics.filter { $0["exported"] as? Bool == true }.count == metrics.count - devops.count)

        let (mdStatus, markdown) = await Self.wait(try Self.start(["catalog", "--config", file.path]))
        #expect(mdStatus == 0)
        #expect(markdown.contains("| `agent_tool_calls_total` (registered as `agent_tool_executions_total`) | counter |"))
        #expect(markdown.contains("Denied by a view (not exported): `agent_devops_"))
        #expect(!markdown.contains("| `agent_devops_"))
    }

    @Test("check-config rejects a view naming no catalog metric (with a did-you-mean) and a rename onto a taken name")
    func checkConfigViews() async throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-views-\(UUID().uuidString).yaml")
        try """
            metrics:
              views:
                - match: agent_provider_request_total
                  drop_labels: [model]
                - match: agent_tool_executions_total
                  rename: agent_provider_requests_total
            """.write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let (status, output) = await Self.wait(try Self.start(["check-config", bad.path]))
        #expect(status == 2)
        #expect(output.contains("metrics.views[0].match: \"agent_provider_request_total\" is not a metric of the catalog; did you mean \"agent_provider_requests_total\"?"), "\(output)")
        #expect(output.contains("metrics.views[1].rename: \"agent_provider_requests_total\" is the name of another metric"), "\(output)")

        let good = FileManager.default.temporaryDirectory.appendingPathComponent("views-\(UUID().uuidString).yaml")
        try Self.viewsYAML.write(to: good, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: good) }
        let (okStatus, okOutput) = await Self.wait(try Self.start(["check-config", good.path]))
        #expect(okStatus == 0, "\(okOutput)")
        // The effective configuration prints the views back.
        #expect(okOutput.contains("rename: \"agent_tool_calls_total\"") || okOutput.contains("rename: agent_tool_calls_total"), "\(okOutput)")
    }

    @Test("usage errors exit 64 with a message on stderr")
    func usage() async throws {
        let (status, output) = await Self.wait(try Self.start(["demo", "--rate", "-1"]))
        #expect(status == 64)
        #expect(output.contains("--rate"))
    }

    static func start(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        p.standardOutput = handle
        p.standardError = handle
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AGENT_TELEMETRY_") && !$0.key.hasPrefix("OTEL_") }
        try p.run()
        logs.withLock { $0[p.processIdentifier] = out }
        return p
    }

    /// Waits off the cooperative pool and returns (exit status, combined output).
    static func wait(_ p: Process) async -> (Int32, String) {
        await withCheckedContinuation { c in
            Thread.detachNewThread {
                p.waitUntilExit()
                let url = logs.withLock { $0[p.processIdentifier] }
                let text = url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
                c.resume(returning: (p.terminationStatus, text))
            }
        }
    }

    static let logs = Mutex<[Int32: URL]>([:])
}

import Synchronization

/// Receives UDP datagrams on a loopback port and splits them into lines.
final class UDPCollector: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let received = Mutex<[String]>([])

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        fd = socketFD
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, len) == 0 && getsockname(socketFD, $0, &len) == 0 }
        }
        guard ok else { throw RawTCP.POSIXFailure(call: "bind udp") }
        port = Int(UInt16(bigEndian: addr.sin_port))
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        Thread.detachNewThread { [weak self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while let self {
                let n = recv(socketFD, &buffer, buffer.count, 0)
                if n > 0 {
                    let lines = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\n").map(String.init)
                    self.received.withLock { $0.append(contentsOf: lines) }
                } else if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                    return
                }
            }
        }
    }

    /// Polls until `done` holds for the lines so far (or the timeout passes).
    func lines(timeout: Duration, until done: ([String]) -> Bool) async -> [String] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = received.withLock { $0 }
            if done(now) { return now }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return received.withLock { $0 }
    }

    deinit { close(fd) }
}
