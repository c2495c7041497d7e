import AgentTelemetryTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// configs/alertmanager/alertmanager.yml, loaded by a real Alertmanager, with alerts of two fleets.
@Suite("Alertmanager keeps fleets apart")
struct AlertmanagerFleetTests {
    static let binary = Peers.which("prometheus-alertmanager") ?? Peers.which("alertmanager")
    static let enabled = AssetTools.available(binary != nil, "prometheus-alertmanager is not installed")

    @Test("a critical alert silences the warning of the same component in its own fleet, not in another",
          .enabled(if: enabled), .timeLimit(.minutes(5)))
    func inhibitionStaysInTheFleet() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("am-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The shipped file, with its templates read from the repository instead of /etc.
        let shipped = try String(contentsOfFile: AssetTools.path("configs/alertmanager/alertmanager.yml"), encoding: .utf8)
        let templates = "/etc/alertmanager/templates/*.tmpl"
        #expect(shipped.contains(templates))
        let config = dir.appendingPathComponent("alertmanager.yml")
        try shipped.replacingOccurrences(of: templates, with: AssetTools.path("configs/alertmanager/templates") + "/*.tmpl")
            .write(to: config, atomically: true, encoding: .utf8)
        let port = try FreePort.find()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.binary))
        process.arguments = ["--config.file=\(config.path)", "--storage.path=\(dir.appendingPathComponent("data").path)",
                             "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn"]
        let log = dir.appendingPathComponent("alertmanager.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // SIGKILL: the test runner's blocked-signal mask is inherited and would make SIGTERM wait.
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        let ready = await eventually(timeout: .seconds(180)) { (try? await get(base + "/-/ready").status) == 200 }
        try #require(ready, "Alertmanager did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")

        // What AgentResponseTimeCritical and AgentResponseTimeHigh carry when they fire on the
        // fleet rules: no instance, the fleet's labels.
        func alert(_ name: String, _ severity: String, _ environment: String) -> [String: Any] {
            ["labels": ["alertname": name, "severity": severity, "component": "latency", "job": "agent",
                        "service": "support-agent", "deployment_environment": environment],
             "annotations": ["summary": name]]
        }
        let alerts = [alert("AgentResponseTimeCritical", "critical", "production"),
                      alert("AgentResponseTimeHigh", "warning", "production"),
                      alert("AgentResponseTimeHigh", "warning", "staging")]
        let posted = try await post(base + "/api/v2/alerts", body: try JSONSerialization.data(withJSONObject: alerts),
                                    headers: [("Content-Type", "application/json")])
        #expect(posted.status == 200, "\(String(decoding: posted.body, as: UTF8.self))")

        var states: [String: String] = [:]
        let settled = await eventually(timeout: .seconds(180)) {
            states = (try? await Self.states(base)) ?? [:]
            return states.count == 3 && states["AgentResponseTimeHigh production"] == "suppressed"
        }
        #expect(settled, "states: \(states)")
        #expect(states["AgentResponseTimeCritical production"] == "active")
        #expect(states["AgentResponseTimeHigh production"] == "suppressed")
        #expect(states["AgentResponseTimeHigh staging"] == "active", "a production critical silenced a staging warning")
    }

    /// "alertname deployment_environment" → the alert's state (active, suppressed, unprocessed).
    static func states(_ base: String) async throws -> [String: String] {
        let body = try await get(base + "/api/v2/alerts").body
        let list = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] ?? []
        var out: [String: String] = [:]
        for alert in list {
            let labels = alert["labels"] as? [String: String] ?? [:]
            let status = alert["status"] as? [String: Any] ?? [:]
            out["\(labels["alertname"] ?? "") \(labels["deployment_environment"] ?? "")"] = status["state"] as? String
        }
        return out
    }
}
