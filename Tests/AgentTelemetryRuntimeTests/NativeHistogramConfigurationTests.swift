import AgentTelemetry
import Foundation
import Testing
@testable import AgentTelemetryRuntime

/// `aggregation`, `max_buckets` and `schema` in a view, and `metrics.histograms` for every
/// histogram: read from the file, refused with their bounds, printed back.
@Suite("Configuration: native histograms")
struct NativeHistogramConfigurationTests {

    @Test("a view turns one histogram native and another classic_and_native; the registry builds them so")
    func viewsApply() throws {
        let c = try ConfigurationLoader.load(yaml: """
            metrics:
              views:
                - {match: agent_tool_execution_duration_seconds, aggregation: native, max_buckets: 100, schema: 5}
                - {match: agent_provider_request_duration_seconds, aggregation: classic_and_native}
            """, source: "agent.yaml", environment: [:])
        let t = try Telemetry(configuration: c.telemetry)
        let tool = try #require(t.registry.registeredFamily(named: "agent_tool_execution_duration_seconds")?.exported)
        #expect(tool.histogramAggregation == .native)
        #expect(tool.nativeHistogram?.maxBuckets == 100)
        #expect(tool.nativeHistogram?.schema == 5)
        let provider = try #require(t.registry.registeredFamily(named: "agent_provider_request_duration_seconds")?.exported)
        #expect(provider.histogramAggregation == .classicAndNative)
        #expect(provider.nativeHistogram == .default)
        let other = try #require(t.registry.registeredFamily(named: "gen_ai_client_token_usage")?.exported)
        #expect(other.histogramAggregation == .classic)
    }

    @Test("metrics.histograms sets the default for every histogram; a view's aggregation wins")
    func globalDefault() throws {
        let c = try ConfigurationLoader.load(yaml: """
            metrics:
              histograms: {aggregation: native, max_buckets: 64, schema: 4}
              views:
                - {match: gen_ai_client_token_usage, aggregation: classic}
            """, source: "agent.yaml", environment: [:])
        let t = try Telemetry(configuration: c.telemetry)
        let tool = try #require(t.registry.registeredFamily(named: "agent_tool_execution_duration_seconds")?.exported)
        #expect(tool.nativeHistogram == NativeHistogramSettings(schema: 4, maxBuckets: 64))
        #expect(tool.buckets.isEmpty)
        let tokens = try #require(t.registry.registeredFamily(named: "gen_ai_client_token_usage")?.exported)
        #expect(tokens.histogramAggregation == .classic)
    }

    @Test("check-config refuses a wrong aggregation, out-of-range max_buckets and schema, and native keys on a counter", arguments: [
        ("views:\n    - {match: agent_tool_execution_duration_seconds, aggregation: natve}", "metrics.views[0].aggregation", "is not one of classic, native, classic_and_native"),
        ("views:\n    - {match: agent_tool_execution_duration_seconds, aggregation: native, max_buckets: 2}", "metrics.views[0].max_buckets", "2 is out of range 4…32768"),
        ("views:\n    - {match: agent_tool_execution_duration_seconds, aggregation: native, schema: 9}", "metrics.views[0].schema", "9 is out of range -4…8"),
        ("views:\n    - {match: agent_tool_executions_total, aggregation: native}", "metrics.views[0].aggregation", "is a counter, not a histogram"),
        ("views:\n    - {match: agent_tool_execution_duration_seconds, aggregation: classic, schema: 3}", "metrics.views[0].aggregation", "has none"),
        ("histograms: {aggregation: native, max_buckets: 100000}", "metrics.histograms.max_buckets", "100000 is out of range"),
        ("histograms: {aggregation: sparse}", "metrics.histograms.aggregation", "is not one of"),
        ("histograms: {agregation: native}", "metrics.histograms.agregation", "aggregation"),
    ])
    func refused(section: String, path: String, message: String) {
        let found = ConfigurationLimitsTests.problems("metrics:\n  \(section)\n")
        #expect(found.contains { $0.hasPrefix(path) && $0.contains(message) }, "\(found)")
    }

    @Test("the printed configuration writes the native keys back, and reading it again gives the same views")
    func roundTrip() throws {
        let yaml = """
            metrics:
              histograms: {aggregation: classic_and_native, max_buckets: 80}
              views:
                - {match: agent_tool_execution_duration_seconds, aggregation: native, schema: 2}
            """
        let c = try ConfigurationLoader.load(yaml: yaml, source: "agent.yaml", environment: [:])
        let printed = EffectiveConfiguration.render(c)
        #expect(printed.contains("aggregation: \"classic_and_native\""))
        #expect(printed.contains("max_buckets: 80"))
        let again = try ConfigurationLoader.load(yaml: printed, source: "printed.yaml", environment: [:])
        #expect(again.telemetry.views == c.telemetry.views)
    }
}
