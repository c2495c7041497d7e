import Foundation
import Testing

/// Every PromQL expression in the rules, dashboards and Kubernetes manifests parses and names only
/// catalog metrics, recording rules or allow-listed external metrics (Tests/peers/check_promql.py).
@Suite("PromQL in the monitoring assets follows the metric catalog")
struct PromQLCatalogTests {
    static let checker = AssetTools.path("Tests/peers/check_promql.py")
    static let enabled = AssetTools.available(AssetTools.python != nil && AssetTools.hasCheckerModules,
                                              "python3 with the promql-parser and PyYAML modules is not installed")

    @Test("rules, dashboards and the PrometheusRule name only known metrics; panel counts, alert annotations and runbook anchors hold",
          .enabled(if: enabled))
    func assetsFollowTheCatalog() async throws {
        let r = try await AssetTools.run(AssetTools.python!, [Self.checker, "--root", AssetTools.root.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.output.contains(": OK"), "\(r)")
    }

    @Test("the checker fails on a rule that names a metric the catalog does not have", .enabled(if: enabled))
    func checkerCanFail() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad_rules.yml")
        try """
        groups:
          - name: renamed
            rules:
              - alert: UsesARenamedMetric
                expr: sum(rate(agent_no_such_metric_total[5m])) > 0
                labels: {severity: warning}
                annotations:
                  summary: "x"
                  description: "{{ $value }}"
                  runbook_url: "docs/runbooks.md#agenthigherrorrate"
        """.write(to: bad, atomically: true, encoding: .utf8)
        let r = try await AssetTools.run(AssetTools.python!, [Self.checker, "--root", AssetTools.root.path, "--extra-rules", bad.path])
        #expect(r.status != 0, "\(r)")
        #expect(r.output.contains("agent_no_such_metric_total"), "\(r)")
    }
}
