import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import AgentTelemetryTesting
import Foundation
import Testing
@testable import AgentTelemetryRuntime

/// Every configured number and size has a documented bound that check-config enforces with a
/// message naming it (issue 24, items 5, 8 and 9): before these bounds, 100,000 buckets took
/// 1.7 GB, a 100 KB common label made a 195 MB scrape, `interval: 1ms` kept a core busy, a 50 MB
/// file took 39 s to load, and a price of 1e308 made every cost overflow.
@Suite("Configuration: every number has a bound")
struct ConfigurationLimitsTests {
    /// The problems of loading `yaml` (empty when it loads).
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml, source: "agent.yaml", environment: [:])
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test("an interval of 1ns is read, and refused with the minimum it breaks", arguments: [
        ("otlp: {interval: 1ns}", "exporters.otlp.interval: 1ns is below the minimum of 1s"),
        ("otlp: {interval: 2d}", "exporters.otlp.interval: 48h is above the maximum of 24h"),
        ("otlp: {timeout: 0}", "exporters.otlp.timeout: 0s is below the minimum of 1ms"),
        ("prometheus: {textfile: {path: /tmp/x.prom, interval: 1ms}}", "exporters.prometheus.textfile.interval: 1ms is below the minimum of 1s"),
        ("statsd: {flush_interval: 1ms}", "exporters.statsd.flush_interval: 1ms is below the minimum of 10ms"),
        ("prometheus: {idle_timeout: 1us}", "exporters.prometheus.idle_timeout: 1us is below the minimum of 100ms"),
    ])
    func intervals(section: String, expected: String) {
        let found = Self.problems("exporters:\n  \(section)\n")
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test("intervals at the bounds are accepted")
    func intervalsAtTheBounds() {
        #expect(Self.problems("exporters:\n  otlp: {interval: 1s, timeout: 1ms}\n  statsd: {flush_interval: 10ms}\n") == [])
    }

    @Test("a histogram with more boundaries than the maximum is refused, in a view and in metrics.buckets")
    func bucketCount() {
        let many = (1...(Buckets.maximumCount + 1)).map { String($0) }.joined(separator: ", ")
        let found = Self.problems("""
            metrics:
              buckets: {tool_execution_duration_seconds: [\(many)]}
              views:
                - {match: agent_provider_request_duration_seconds, buckets: [\(many)]}
            """)
        #expect(found.contains { $0.contains("257 boundaries are more than the 256 a histogram may have") && $0.hasPrefix("metrics.buckets") }, "\(found)")
        #expect(found.contains { $0.contains("257 boundaries are more than the 256") && $0.hasPrefix("metrics.views[0].buckets") }, "\(found)")
        let ok = (1...Buckets.maximumCount).map { String($0) }.joined(separator: ", ")
        #expect(Self.problems("metrics:\n  buckets: {tool_execution_duration_seconds: [\(ok)]}\n") == [])
    }

    @Test("registering a histogram with more boundaries than the maximum fails with the reason, in code too")
    func bucketCountInCode() {
        let registry = MetricRegistry()
        #expect(throws: MetricRegistrationError.self) {
            _ = try registry.histogram("agent_big_seconds", help: "Big.", buckets: Buckets.linear(start: 1, width: 1, count: 100_000))
        }
    }

    @Test("a common label value over 256 bytes and more than 32 common labels are refused")
    func commonLabels() {
        let long = String(repeating: "x", count: 100_000)
        let found = Self.problems("metrics:\n  common_labels: {env: \(long)}\n")
        #expect(found.contains { $0.hasPrefix("metrics.common_labels.env: the value is 100000 bytes long, more than the 256 allowed") }, "\(found.map { $0.prefix(200) })")
        let labels = (0..<33).map { "l\($0): v" }.joined(separator: ", ")
        #expect(Self.problems("metrics:\n  common_labels: {\(labels)}\n").contains { $0.contains("33 labels are more than the 32 allowed") })
        #expect(Self.problems("metrics:\n  common_labels: {env: \(String(repeating: "x", count: 256))}\n") == [])
    }

    @Test("a price above 1,000,000 USD per million tokens is refused, in the file and in a price table")
    func prices() throws {
        let found = Self.problems("metrics:\n  prices: {gpt: {input_per_million: 1e308, output_per_million: 1}}\n")
        #expect(found.contains { $0.hasPrefix("metrics.prices.gpt.input_per_million: 1e+308 is above the highest price accepted, 1000000 USD per million tokens") }, "\(found)")
        let table = PriceSchedule(effectiveDate: "2026-01-01", entries: [.init(provider: "*", model: "m", rates: ModelRates(input: 2e6, output: 1))])
        #expect(table.validate().contains { $0.message.contains("above the highest price accepted") })
    }

    @Test("a configuration file larger than 1 MiB is refused before it is parsed")
    func fileSize() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml")
        var yaml = "service:\n  attributes:\n"
        var i = 0
        while yaml.utf8.count <= ConfigurationLoader.maximumFileBytes { yaml += "    key\(i): value\(i)\n"; i += 1 }
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try ConfigurationLoader.load(path: url.path, environment: [:])
            Issue.record("a file over the limit was accepted")
        } catch {
            #expect(error.description.contains("larger than 1 MiB"), "\(error)")
        }
    }

    @Test("a host with a line break, a space or a slash is refused; names and addresses are not", arguments: [
        ("127.0.0.1\nevil", true), ("local host", true), ("http://x", true), ("localhost", false),
        ("::1", false), ("0.0.0.0", false), ("fe80::1%eth0", false), ("stats.example.com", false),
    ])
    func hosts(host: String, refused: Bool) {
        #expect((PrometheusExporterConfiguration(host: host).validate().contains { $0.keyPath == ["host"] }) == refused)
        #expect((StatsDConfiguration(host: host).validate().contains { $0.keyPath == ["host"] }) == refused)
    }
}

@Suite("Instruments never hold a non-finite total")
struct NonFiniteTotalTests {
    @Test("a histogram refuses an observation that would make its sum infinite, counts it, and keeps what it had")
    func histogramSum() throws {
        let registry = MetricRegistry()
        let h = try registry.histogram("agent_cost_usd", help: "Cost.", buckets: [1, 10]).series
        h.observe(1e308)
        h.observe(1e308)  // the sum would be +Inf
        h.observe(Double.infinity)
        h.observe(2)
        let value = h.current
        #expect(value.count == 2)
        #expect(value.sum == 1e308 + 2)
        #expect(value.sum.isFinite)
        #expect(registry.counterValue("agent_telemetry_metric_rejected_updates_total", ["metric": "agent_cost_usd", "reason": "invalid_value"]) == 2)
    }

    @Test("a counter refuses finite amounts whose total would overflow, and keeps its total")
    func counterTotal() throws {
        let registry = MetricRegistry()
        let c = try registry.counter("agent_cost_usd_total", help: "Cost.").series
        c.increment(by: 1e308)
        c.increment(by: 1e308)
        #expect(c.value == 1e308)
        #expect(registry.counterValue("agent_telemetry_metric_rejected_updates_total", ["metric": "agent_cost_usd_total", "reason": "invalid_value"]) == 1)
    }
}
