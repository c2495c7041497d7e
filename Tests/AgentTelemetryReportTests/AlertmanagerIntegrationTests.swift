import AgentTelemetryReport
import AgentTelemetryTestSupport
import Foundation
import Testing

/// The report's Alertmanager client against a real Alertmanager holding one posted alert.
@Suite("Alerts from a real Alertmanager")
struct AlertmanagerIntegrationTests {
    static let binary = Peers.which("prometheus-alertmanager") ?? Peers.which("alertmanager")

    @Test("an alert posted to Alertmanager is listed as active with its severity and summary",
          .enabled(if: Peers.available(binary, "prometheus-alertmanager")), .timeLimit(.minutes(5)))
    func activeAlerts() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("alertmanager.yml")
        try "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n".write(to: config, atomically: true, encoding: .utf8)
        let port = try FreePort.find()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.binary))
        process.arguments = ["--config.file=\(config.path)", "--storage.path=\(dir.appendingPathComponent("data").path)",
                             "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=", "--log.level=warn"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // SIGKILL: the test runner's blocked-signal mask is inherited and would make SIGTERM wait.
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        #expect(await eventually(timeout: .seconds(180)) { (try? await get(base + "/-/ready").status) == 200 })

        let post = """
        import json, sys, urllib.request, datetime
        alert = [{"labels": {"alertname": "AgentHighErrorRate", "severity": "critical", "job": "agent"},
                  "annotations": {"summary": "Error rate above 5%"},
                  "startsAt": datetime.datetime.now(datetime.timezone.utc).isoformat()}]
        req = urllib.request.Request(sys.argv[1] + "/api/v2/alerts", data=json.dumps(alert).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        print(urllib.request.urlopen(req).status)
        """
        let posted = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", ["-c", post, base])
        #expect(posted.stdout.hasPrefix("200"), "\(posted.stderr)")

        var alerts: [ReportAlert] = []
        #expect(await eventually(timeout: .seconds(180)) {
            alerts = (try? await AlertmanagerClient(baseURL: base).firingAlerts()) ?? []
            return !alerts.isEmpty
        })
        let alert = try #require(alerts.first)
        #expect(alert.name == "AgentHighErrorRate")
        #expect(alert.severity == "critical")
        #expect(alert.summary == "Error rate above 5%")
        #expect(alert.state == "active")
        #expect(alert.source == "alertmanager")
        #expect(alert.activeSince != nil)
    }

    @Test("an unreachable Alertmanager is an error, not an empty list")
    func unreachable() async throws {
        let port = try FreePort.find()
        await #expect(throws: ReportError.self) {
            _ = try await AlertmanagerClient(baseURL: "http://127.0.0.1:\(port)").firingAlerts()
        }
    }
}
