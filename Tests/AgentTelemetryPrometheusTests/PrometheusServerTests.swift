import AgentTelemetry
import Foundation
import Testing
@testable import AgentTelemetryPrometheus

/// A real Prometheus server scrapes the endpoint; the test asks Prometheus what it stored.
@Suite("Scraped by a real Prometheus server")
struct PrometheusServerTests {
    @Test("up is 1, and a counter and a histogram quantile come back with the emitted values",
          .enabled(if: Peers.available(Peers.prometheus, "prometheus")), .timeLimit(.minutes(2)))
    func realPrometheus() async throws {
        let t = try Telemetry()
        for _ in 0..<42 { t.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(20))) }
        await t.flush()
        try await withExporter(registry: t.registry) { port in
            let server = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)")
            defer { server.stop() }
            // The first scrape takes a few seconds: poll.
            let up = await eventually(timeout: .seconds(60)) { (try? await server.query("up{job=\"agent\"}")) == 1 }
            #expect(up, "Prometheus never reported the target up; log: \(server.log())")
            let counter = try await server.query("agent_tool_executions_total{tool=\"read_file\",vertical=\"coding\",outcome=\"success\"}")
            #expect(counter == 42)
            // All 42 observations are 0.02 s, in the bucket (0.01, 0.025]; Prometheus interpolates
            // linearly inside it: 0.01 + (0.025 - 0.01) * 0.95 = 0.02425.
            let p95 = try await server.query("histogram_quantile(0.95, sum by (le) (agent_tool_execution_duration_seconds_bucket))")
            #expect(abs((p95 ?? 0) - 0.02425) < 1e-9)
        }
        await t.shutdown()
    }
}

/// A Prometheus server on a free loopback port with storage in a temporary directory.
final class PrometheusProcess: @unchecked Sendable {
    let process = Process()
    let directory: URL
    let port: Int
    let logFile: URL

    init(scrapeTarget: String, ruleFiles: [String] = [], extraFlags: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.find()
        let rules = ruleFiles.isEmpty ? "" : "rule_files:\n" + ruleFiles.map { "  - \($0)\n" }.joined()
        let config = """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        \(rules)scrape_configs:
          - job_name: agent
            static_configs:
              - targets: ['\(scrapeTarget)']
        """
        let configURL = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        logFile = directory.appendingPathComponent("prometheus.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Peers.prometheus ?? "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(configURL.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ] + extraFlags
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Runs an instant query; the first sample's value, or nil when the result is empty.
    func query(_ promQL: String) async throws -> Double? {
        let result = try await api("/api/v1/query", ["query": promQL])
        guard let first = result.first, let value = first["value"] as? [Any], value.count == 2,
              let text = value[1] as? String else { return nil }
        return Double(text)
    }

    /// Calls the HTTP API and returns `data.result`.
    func api(_ path: String, _ params: [String: String]) async throws -> [[String: Any]] {
        var components = URLComponents(string: "http://127.0.0.1:\(port)\(path)")
        components?.queryItems = params.map { URLQueryItem(name: $0.key, value: $0.value) }
        guard let url = components?.url?.absoluteString else { return [] }
        let r = try await get(url)
        let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        guard json?["status"] as? String == "success" else {
            throw PrometheusAPIError(message: String(decoding: r.body, as: UTF8.self))
        }
        return ((json?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
    }

    struct PrometheusAPIError: Error { let message: String }
}

/// Finds a free loopback TCP port.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw RawTCP.POSIXFailure(call: "bind") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
