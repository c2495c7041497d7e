import AgentTelemetryTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A single-node VictoriaMetrics (Debian `victoria-metrics`) on a free loopback port with its data
/// in a temporary directory: long-term storage behind the shipped `remote_write` block.
final class VictoriaMetricsProcess: QueryAPI, @unchecked Sendable {
    static let binary = Peers.which("victoria-metrics") ?? Peers.which("victoria-metrics-prod")

    let process = Process()
    let directory: URL
    let port: Int
    let logFile: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.find()
        logFile = directory.appendingPathComponent("victoria-metrics.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary ?? "/usr/bin/victoria-metrics")
        // -search.latencyOffset=0s: samples are visible as soon as they are written (30 s by
        // default, which only delays the test; it waits for the samples it compares anyway).
        process.arguments = ["-storageDataPath=\(directory.appendingPathComponent("data").path)",
                             "-httpListenAddr=127.0.0.1:\(port)", "-retentionPeriod=1d",
                             "-search.latencyOffset=0s", "-search.disableCache", "-loggerLevel=WARN"]
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var base: String { "http://127.0.0.1:\(port)" }
    var writeURL: String { base + "/api/v1/write" }

    func api(_ path: String, _ params: [String: String]) async throws -> [[String: Any]] {
        var components = URLComponents(string: base + path)
        components?.queryItems = params.map { URLQueryItem(name: $0.key, value: $0.value) }
        guard let url = components?.url?.absoluteString else { return [] }
        let r = try await get(url)
        let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        guard json?["status"] as? String == "success" else {
            throw QueryError(message: String(decoding: r.body, as: UTF8.self))
        }
        return ((json?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
    }

    /// The sum of every sample of `family` in VictoriaMetrics' own /metrics (filtered by a label
    /// fragment such as `type="promremotewrite"`).
    func selfMetric(_ family: String, containing fragment: String = "") async throws -> Double {
        let text = String(decoding: try await get(base + "/metrics").body, as: UTF8.self)
        var sum = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix(family + "{") || line.hasPrefix(family + " ") {
            guard fragment.isEmpty || line.contains(fragment) else { continue }
            if let v = line.split(separator: " ").last.flatMap({ Double($0) }) { sum += v }
        }
        return sum
    }

    /// The number of series stored (VictoriaMetrics' `/api/v1/series/count`).
    func seriesCount() async throws -> Double {
        let json = try JSONSerialization.jsonObject(with: try await get(base + "/api/v1/series/count").body) as? [String: Any]
        return ((json?["data"] as? [Any])?.first as? NSNumber)?.doubleValue ?? 0
    }

    /// VictoriaMetrics answered with an error status.
    struct QueryError: Error { let message: String }

    func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func stop() {
        let process = self.process, directory = self.directory
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        Thread.detachNewThread {
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// The fleet test of FleetRemoteWriteTests with a real VictoriaMetrics as the remote-write target:
/// three replicas, Prometheus A with the shipped recording rules and `remote_write` block, and the
/// fleet rule read back through VictoriaMetrics' Prometheus-compatible query API.
@Suite("A fleet of replicas into a real VictoriaMetrics")
struct FleetVictoriaMetricsTests {
    static let enabled = AssetTools.available(
        AssetTools.prometheus != nil && VictoriaMetricsProcess.binary != nil,
        "prometheus or victoria-metrics is not installed (install: apt-get install prometheus victoria-metrics)")

    @Test("VictoriaMetrics answers the fleet rule agent:tool_executions_total:sum equal to the sum of the replicas' own counters; ingest figures printed for docs/SCALING.md",
          .enabled(if: enabled), .timeLimit(.minutes(4)))
    func fleetTotalOnVictoriaMetrics() async throws {
        let executable = try #require(DemoReplica.executable, "agent-telemetry is not built next to the tests; run swift build --build-tests")
        let storage = try VictoriaMetricsProcess()
        defer { storage.stop() }
        let healthy = await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            (try? await get(storage.base + "/health").status) == 200
        }
        try #require(healthy, "VictoriaMetrics did not start: \(storage.log())")

        var replicas: [DemoReplica] = []
        defer { for replica in replicas { replica.stop() } }
        for (i, rate) in FleetRemoteWriteTests.rates.enumerated() {
            replicas.append(try DemoReplica(executable: executable, port: try FreePort.find(), rate: rate, seed: 200 + i))
        }
        for replica in replicas {
            let serving = await eventually(timeout: .seconds(60)) { (try? await get(replica.metricsURL).status) == 200 }
            try #require(serving, "replica on port \(replica.port) does not serve /metrics: \(replica.log())")
        }
        let readings = Readings(replicas: replicas.count)
        let urls = replicas.map(\.metricsURL)
        let reader = Task {
            while !Task.isCancelled {
                for (i, url) in urls.enumerated() {
                    let started = Date().timeIntervalSince1970
                    guard let body = try? await get(url).body else { continue }
                    let value = DemoReplica.total(of: "agent_tool_executions_total", in: String(decoding: body, as: UTF8.self))
                    await readings.add(.init(started: started, ended: Date().timeIntervalSince1970, value: value), replica: i)
                }
                try? await Task.sleep(for: .milliseconds(50))  // pacing only
            }
        }
        defer { reader.cancel() }

        let remoteWrite = try FleetRemoteWriteTests.remoteWrite(to: storage.writeURL)
        let collector = try PrometheusProcess(extraFlags: ["--storage.remote.flush-deadline=10s"]) { port in
            FleetRemoteWriteTests.collectorConfiguration(replicas: replicas, selfPort: port, remoteWrite: remoteWrite)
        }
        defer { collector.stop() }
        let started = Date()

        let arrived = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
            let perReplica = (try? await FleetRemoteWriteTests.vector(storage, "count by (instance) (agent_tool_executions_total)")) ?? []
            let rule = (try? await FleetRemoteWriteTests.vector(storage, "agent:tool_executions_total:sum")) ?? []
            return perReplica.count == replicas.count && !rule.isEmpty
        }
        try #require(arrived, "VictoriaMetrics does not have the fleet's data after 90 s\nA: \(collector.log())\nVM: \(storage.log())")
        #expect(try await FleetRemoteWriteTests.vector(storage, "count({job=\"prometheus\"})").isEmpty,
                "the write filter keeps Prometheus' own series out of long-term storage")

        var problems: [String] = []
        var lastEvaluation = 0.0
        for _ in 0..<10 {
            let outcome = try await FleetRemoteWriteTests.compareOneEvaluation(
                storage: storage, replicas: replicas, readings: readings, after: lastEvaluation)
            lastEvaluation = outcome.evaluation
            if outcome.problems.isEmpty { problems = []; break }
            problems.append(contentsOf: outcome.problems)
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\nA: \(collector.log())\nVM: \(storage.log())")

        // Ingest figures over a measured minute: rows (samples) per second from VictoriaMetrics'
        // own counter, bytes on disk per series and day of retention.
        let rows0 = try await storage.selfMetric("vm_rows_inserted_total", containing: "promremotewrite")
        let clock = ContinuousClock()
        let t0 = clock.now
        try await Task.sleep(for: .seconds(60))  // the measured interval, not a synchronisation
        let rows1 = try await storage.selfMetric("vm_rows_inserted_total", containing: "promremotewrite")
        let seconds = Double((clock.now - t0).components.seconds)
        _ = try? await get(storage.base + "/internal/force_flush")
        let series = try await storage.seriesCount()
        let bytes = try await storage.selfMetric("vm_data_size_bytes")
        let stored = Date().timeIntervalSince(started)
        let samplesPerSecond = (rows1 - rows0) / max(1, seconds)
        let perSeriesDay = series > 0 ? bytes / series / (stored / 86_400) : 0
        #expect(samplesPerSecond > 0 && series > 0 && bytes > 0)
        print(String(format: "victoria-metrics ingest: %.0f samples/s from 3 replicas at 1 s scrapes; %.0f series; %.0f bytes on disk after %.0f s (%.0f bytes per series-day, %.2f bytes per sample)",
                     samplesPerSecond, series, bytes, stored, perSeriesDay, bytes / max(1, samplesPerSecond * stored)))
    }
}
