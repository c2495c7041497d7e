import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryRuntime

@Suite("The dated default price table is built in")
struct BuiltInPriceTableTests {
    static let shippedTable = repositoryRoot.appendingPathComponent("configs/prices/" + PriceTableFile.builtInFileName)

    @Test("the built-in table is the shipped file, word for word, and parses")
    func builtInIsTheShippedFile() throws {
        let file = try String(contentsOf: Self.shippedTable, encoding: .utf8)
        #expect(PriceTableFile.builtInYAML + "\n" == file)
        #expect(PriceTableFile.builtIn == (try PriceTableFile.load(path: Self.shippedTable.path)))
        #expect(PriceTableFile.builtIn.effectiveDate == PriceTableFile.builtInEffectiveDate)
        #expect(!PriceTableFile.builtIn.entries.isEmpty)
    }

    @Test("the model of the demo's unpriced-model scenario has no price in the built-in table")
    func demoUnpricedModelIsUnpriced() {
        for provider in [Provider.openAI, .azureOpenAI, .anthropic, .gcpGemini] {
            #expect(PriceTableFile.builtIn.rates(provider: provider.labelValue, model: DemoWorkload.unpricedModel) == nil, "\(provider)")
        }
    }

    @Test("a configuration without price_table costs with the built-in table")
    func defaultWithoutPriceTable() throws {
        let c = try ConfigurationLoader.load(yaml: "service:\n  name: a\n", source: "f", environment: [:])
        #expect(c.telemetry.standardMetrics.priceSchedule == PriceTableFile.builtIn)
        #expect(c.telemetry.standardMetrics.effectivePrices.rates(provider: "openai", model: "gpt-4o-mini")?.input == 0.15)
    }

    @Test("configs/agent-telemetry.yaml copied to another directory still loads, with the dated prices")
    func copiedExampleLoads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("copied-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("agent-telemetry.yaml")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("configs/agent-telemetry.yaml"), to: copy)
        let c = try ConfigurationLoader.load(path: copy.path, environment: [:])
        #expect(c.telemetry.standardMetrics.priceSchedule.effectiveDate == PriceTableFile.builtInEffectiveDate)
    }

    @Test("price_table still names a newer or own table, which replaces the built-in one")
    func ownTableReplacesBuiltIn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("own-prices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "effective_date: \"2026-06-01\"\ncurrency: USD\nmodels:\n  - {provider: \"*\", model: \"my-model\", input: 1, output: 2}\n"
            .write(to: dir.appendingPathComponent("prices.yaml"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("agent.yaml")
        try "metrics:\n  price_table: prices.yaml\n".write(to: file, atomically: true, encoding: .utf8)
        let c = try ConfigurationLoader.load(path: file.path, environment: [:])
        #expect(c.telemetry.standardMetrics.priceSchedule.effectiveDate == "2026-06-01")
        #expect(c.telemetry.standardMetrics.effectivePrices.rates(provider: "x", model: "gpt-4o-mini") == nil)
    }
}
