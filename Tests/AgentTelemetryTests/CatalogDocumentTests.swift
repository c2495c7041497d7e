import Foundation
import Testing
@testable import AgentTelemetry

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
    func markdownIsCurrent() throws { try check("docs/PRODUCTION_METRICS.md", CatalogDocument.markdown()) }

    @Test("docs/metric-catalog.json is what the catalog generates")
    func jsonIsCurrent() throws { try check("docs/metric-catalog.json", CatalogDocument.json()) }

    @Test("the JSON catalog parses and lists every descriptor with its type and labels")
    func jsonParses() throws {
        let data = Data(CatalogDocument.json().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        #expect(metrics.count == MetricCatalog.all.count)
        let tool = try #require(metrics.first { $0["name"] as? String == "agent_tool_executions_total" })
        #expect(tool["type"] as? String == "counter")
        #expect(tool["labels"] as? [String] == ["tool", "vertical", "outcome"])
        #expect(tool["events"] as? [String] == ["tool_executed"])
    }

    @Test("every category has metrics and every markdown section is present")
    func everyCategory() {
        let md = CatalogDocument.markdown()
        for c in MetricCategory.allCases {
            #expect(MetricCatalog.all.contains { $0.category == c }, "\(c) has no metrics")
            #expect(md.contains("\n## \(c.title)\n"))
        }
    }
}
