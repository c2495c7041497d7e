import Foundation
import Testing

/// The Prometheus and Alertmanager configuration is accepted by the tools that load it.
@Suite("Prometheus and Alertmanager tools accept the configs")
struct PromtoolTests {
    static let hasPromtool = AssetTools.available(AssetTools.promtool != nil, "promtool is not installed")
    static let hasAmtool = AssetTools.available(AssetTools.amtool != nil, "amtool is not installed")

    @Test("promtool check config accepts prometheus.yml and the rule files it names",
          .enabled(if: hasPromtool))
    func checkConfig() async throws {
        let r = try await AssetTools.run(AssetTools.promtool!, ["check", "config", AssetTools.path("configs/prometheus/prometheus.yml")])
        #expect(r.status == 0, "\(r)")
        #expect(r.output.contains("2 rule files found"), "\(r)")
    }

    @Test("promtool check config accepts prometheus.yml with its remote_write block turned on",
          .enabled(if: hasPromtool))
    func checkConfigWithRemoteWrite() async throws {
        let config = try AssetTools.prometheusConfigWithRemoteWrite()
        #expect(config.contains("\nremote_write:\n"), "no commented remote_write block in prometheus.yml")
        #expect(try AssetTools.remoteWriteBlock().contains("write_relabel_configs:"))
        // The rule files are resolved next to the configuration, as in configs/prometheus.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in ["recording_rules.yml", "alerting_rules.yml"] {
            try FileManager.default.copyItem(atPath: AssetTools.path("configs/prometheus/" + file),
                                             toPath: dir.appendingPathComponent(file).path)
        }
        let file = dir.appendingPathComponent("prometheus.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let r = try await AssetTools.run(AssetTools.promtool!, ["check", "config", file.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.output.contains("2 rule files found"), "\(r)")
    }

    @Test("promtool check rules accepts the recording and alerting rules", .enabled(if: hasPromtool))
    func checkRules() async throws {
        let r = try await AssetTools.run(AssetTools.promtool!, [
            "check", "rules",
            AssetTools.path("configs/prometheus/recording_rules.yml"),
            AssetTools.path("configs/prometheus/alerting_rules.yml"),
        ])
        #expect(r.status == 0, "\(r)")
    }

    @Test("promtool test rules: every alert fires over its threshold and not just under it; recording rules compute the expected values",
          .enabled(if: hasPromtool))
    func testRules() async throws {
        let dir = AssetTools.path("configs/prometheus/tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".yml") }.sorted().map { dir + "/" + $0 }
        #expect(files.count >= 2, "no rule unit tests found in \(dir)")
        let r = try await AssetTools.run(AssetTools.promtool!, ["test", "rules"] + files)
        #expect(r.status == 0, "\(r)")
        #expect(!r.output.contains("FAILED"), "\(r)")
    }

    @Test("amtool check-config accepts alertmanager.yml", .enabled(if: hasAmtool))
    func amtoolCheckConfig() async throws {
        let r = try await AssetTools.run(AssetTools.amtool!, ["check-config", AssetTools.path("configs/alertmanager/alertmanager.yml")])
        #expect(r.status == 0, "\(r)")
    }
}
