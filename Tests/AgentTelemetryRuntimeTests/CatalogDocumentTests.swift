import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import AgentTelemetrySwiftMetrics
import Foundation
import Testing
@testable import AgentTelemetryRuntime

@Suite("Generated catalog documents")
struct CatalogDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Compares a committed file with the generator's output; with AGENT_TELEMETRY_UPDATE_DOCS=1, rewrites it.
    func check(_ relative: String, _ generated: String) throws {
        let url = Self.root.appendingPathComponent(relative)
        if ProcessInfo.processInfo.environment["AGENT_TELEMETRY_UPDATE_DOCS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "\(relative) is out of date: run AGENT_TELEMETRY_UPDATE_DOCS=1 swift test --filter CatalogDocumentTests")
    }

    @Test("docs/PRODUCTION_METRICS.md is what the catalog generates")
    func markdownIsCurrent() throws { try check("docs/PRODUCTION_METRICS.md", TelemetryCatalog.markdown()) }

    @Test("docs/metric-catalog.json is what the catalog generates")
    func jsonIsCurrent() throws { try check("docs/metric-catalog.json", TelemetryCatalog.json()) }

    @Test("the JSON catalog parses and lists every descriptor with its type and labels")
    func jsonParses() throws {
        let data = Data(TelemetryCatalog.json().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        #expect(metrics.count == TelemetryCatalog.all.count)
        let tool = try #require(metrics.first { $0["name"] as? String == "agent_tool_executions_total" })
        #expect(tool["type"] as? String == "counter")
        #expect(tool["labels"] as? [String] == ["tool", "vertical", "outcome"])
        #expect(tool["events"] as? [String] == ["tool_executed"])
    }

    @Test("every category has metrics and every markdown section is present")
    func everyCategory() {
        let md = TelemetryCatalog.markdown()
        for c in MetricCategory.allCases {
            #expect(TelemetryCatalog.all.contains { $0.category == c }, "\(c) has no metrics")
            #expect(md.contains("\n## \(c.title)\n"))
        }
    }

    @Test("every family the pipeline registers for itself is declared once, by its owner, as the catalog says")
    func selfMetricsMatchTheirDescriptors() throws {
        let telemetry = try Telemetry(configuration: .init(enableStandardMetrics: false, sampleProcess: false))
        _ = try PrometheusExporter(registry: telemetry.registry)
        _ = try OTLPExporter(registry: telemetry.registry, configuration: .init())
        _ = try StatsDExporter(registry: telemetry.registry)
        _ = AgentTelemetryMetricsFactory(registry: telemetry.registry)
        let catalog = Dictionary(uniqueKeysWithValues: TelemetryCatalog.all.map { ($0.name(namespace: "agent"), $0) })
        let own = telemetry.registry.snapshot().families.filter { $0.info.name.hasPrefix("agent_telemetry_") }
        #expect(own.count >= 14, "the bus, the endpoint, OTLP, StatsD and the bridge register their families")
        for family in own {
            let d = try #require(catalog[family.info.name], "\(family.info.name) is registered but not in the catalog")
            #expect(family.info.help == d.help, "\(family.info.name): help differs from its descriptor")
            #expect(family.info.labelNames == d.labelNames, "\(family.info.name)")
            #expect(family.info.unit == d.unit, "\(family.info.name)")
            #expect(family.info.type == d.type, "\(family.info.name)")
        }
    }
}
