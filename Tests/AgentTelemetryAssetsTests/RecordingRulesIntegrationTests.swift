import AgentTelemetry
import AgentTelemetryPrometheus
import AgentTelemetryTestSupport
import Foundation
import NIOFoundationCompat
import Testing

/// The demo workload, scraped by a real Prometheus that loads configs/prometheus/*_rules.yml:
/// every recording rule yields data and every rule group evaluates without error.
@Suite("Recording and alerting rules evaluated by a real Prometheus")
struct RecordingRulesIntegrationTests {
    static let enabled = AssetTools.available(AssetTools.prometheus != nil, "prometheus is not installed")

    @Test("every event type of the catalog is in the demo workload")
    func workloadCoversTheCatalog() {
        let emitted = Set(CatalogWorkload.events(round: 1).map { type(of: $0).eventName })
        let catalog = Set(MetricCatalog.standardEventTypes.map { $0.eventName })
        #expect(catalog.subtracting(emitted).isEmpty, "not emitted: \(catalog.subtracting(emitted).sorted())")
    }

    @Test("every recording rule has data and no rule reports an error", .enabled(if: enabled), .timeLimit(.minutes(5)))
    func rulesEvaluate() async throws {
        var configuration = TelemetryConfiguration()
        configuration.standardMetrics.priceOverrides = CatalogWorkload.prices
        configuration.budgets = [CatalogWorkload.budget]
        let telemetry = try Telemetry(configuration: configuration).started()
        for event in CatalogWorkload.events(round: 0) { telemetry.emit(event) }
        await telemetry.flush()

        let exporter = try PrometheusExporter(registry: telemetry.registry, configuration: .init(port: 0))
        let serving = Task { try await exporter.run() }
        defer { exporter.stop(); serving.cancel() }
        let port = try await exporter.waitUntilBound()

        // Keep the agent busy in the background: rate() needs counters that move between scrapes.
        let workload = Task {
            var round = 1
            while !Task.isCancelled {
                for event in CatalogWorkload.events(round: round) { telemetry.emit(event) }
                round += 1
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        defer { workload.cancel() }

        let recording = AssetTools.path("configs/prometheus/recording_rules.yml")
        let alerting = AssetTools.path("configs/prometheus/alerting_rules.yml")
        let server = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)", ruleFiles: [recording, alerting])
        defer { server.stop() }

        var missing = Set(try AssetTools.recordingRuleNames(in: recording))
        #expect(missing.count >= 30)
        let deadline = ContinuousClock.now + .seconds(60)
        while !missing.isEmpty && ContinuousClock.now < deadline {
            for name in missing.sorted() {
                if let result = try? await server.api("/api/v1/query", ["query": name]), !result.isEmpty {
                    missing.remove(name)
                }
            }
            if !missing.isEmpty { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(missing.isEmpty, "recording rules without data after 60 s: \(missing.sorted()); Prometheus log: \(server.log())")

        let groups = try await server.ruleGroups()
        #expect(groups.count >= 10, "rule groups loaded: \(groups.map { $0["name"] ?? "?" })")
        var problems: [String] = []
        for group in groups {
            let name = group["name"] as? String ?? "?"
            if let error = group["lastError"] as? String, !error.isEmpty { problems.append("group \(name): \(error)") }
            for rule in group["rules"] as? [[String: Any]] ?? [] {
                let ruleName = rule["name"] as? String ?? "?"
                if let error = rule["lastError"] as? String, !error.isEmpty { problems.append("\(name)/\(ruleName): \(error)") }
                if rule["health"] as? String == "err" { problems.append("\(name)/\(ruleName): health err") }
            }
        }
        #expect(problems.isEmpty, "rule evaluation errors: \(problems)")

        workload.cancel()
        await telemetry.shutdown()
    }
}

