import AgentTelemetryTestSupport
import Foundation
import Testing

/// The two rewrites the end-to-end alert test uses (docs/MONITORING_SETUP.md, "Proving the alerts
/// end to end") keep the shipped files valid and change only what they say they change.
@Suite("Accelerated rules profile and webhook override")
struct AlertProfilesTests {
    @Test("the accelerated profile divides windows and for: and leaves every threshold alone")
    func acceleratedRulesScaleTimeOnly() throws {
        let text = """
              - alert: X
                expr: rate(a_total[5m]) > 0.05 and increase(b_total[1h]) >= 10
                for: 15m
              - record: c:rate15m
                expr: sum(rate(c_total[15m])) * 3600
            """
        let out = AlertProfiles.acceleratedRules(text, factor: 30)
        #expect(out.contains("rate(a_total[10s]) > 0.05 and increase(b_total[120s]) >= 10"), "\(out)")
        #expect(out.contains("    for: 30s\n"), "\(out)")
        #expect(out.contains("sum(rate(c_total[30s])) * 3600"), "\(out)")
        #expect(out.contains("record: c:rate15m"), "rule names must not change: \(out)")
    }

    @Test("the shipped rules, accelerated, still pass promtool check rules",
          .enabled(if: AssetTools.available(AssetTools.promtool != nil, "promtool is not installed (install: apt-get install prometheus)")))
    func acceleratedShippedRulesAreValid() async throws {
        let promtool = try #require(AssetTools.promtool)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("accel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for name in ["recording_rules.yml", "alerting_rules.yml"] {
            let shipped = try String(contentsOfFile: AssetTools.path("configs/prometheus/\(name)"), encoding: .utf8)
            let accelerated = AlertProfiles.acceleratedRules(shipped, factor: AlertProfiles.defaultFactor)
            #expect(!accelerated.contains("[5m]") && !accelerated.contains("[1h]") && !accelerated.contains("for: 15m"))
            let url = dir.appendingPathComponent(name)
            try accelerated.write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        let run = try await AssetTools.run(promtool, ["check", "rules"] + files)
        #expect(run.status == 0, "\(run)")
    }

    @Test("the webhook override keeps routes and inhibitions, points every receiver at the webhook, and amtool accepts it",
          .enabled(if: AssetTools.available(AssetTools.amtool != nil, "amtool is not installed (install: apt-get install prometheus-alertmanager)")))
    func webhookOverrideIsTheShippedRouting() async throws {
        let amtool = try #require(AssetTools.amtool)
        let shipped = try String(contentsOfFile: AssetTools.path("configs/alertmanager/alertmanager.yml"), encoding: .utf8)
        let templates = AssetTools.path("configs/alertmanager/templates")
        let config = try AlertProfiles.webhookAlertmanagerConfig(shipped, webhookBase: "http://127.0.0.1:9", templatesDirectory: templates, factor: 20)
        let shippedHead = try #require(shipped.components(separatedBy: "\nreceivers:\n").first)
        for line in shippedHead.split(separator: "\n") where line.contains("matchers") || line.contains("severity=") || line.contains("equal:") || line.contains("receiver:") {
            #expect(config.contains(line), "the override lost: \(line)")
        }
        for name in ["pagerduty-critical", "slack-critical", "slack-warnings", "email-digest"] {
            #expect(config.contains("url: \"http://127.0.0.1:9/\(name)\""), "\(name)")
        }
        #expect(config.contains("group_interval: 15s") && config.contains("group_wait: 1s") && config.contains("repeat_interval: 720s"), "\(config)")
        #expect(!config.contains("slack_configs:") && !config.contains("pagerduty_configs:") && !config.contains("email_configs:"))
        // The e-mail digest keeps `send_resolved: false`; the others send resolved notifications.
        #expect(config.contains("/email-digest\"\n        send_resolved: false"), "\(config)")
        #expect(config.contains("/slack-warnings\"\n        send_resolved: true"), "\(config)")
        #expect(config.contains("/pagerduty-critical\"\n        send_resolved: true"), "\(config)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("am-override-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("alertmanager.yml")
        try config.write(to: url, atomically: true, encoding: .utf8)
        let check = try await AssetTools.run(amtool, ["check-config", url.path])
        #expect(check.status == 0, "\(check)")
    }
}
