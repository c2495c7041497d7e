import AgentTelemetry
import AgentTelemetryTesting
import AgentTelemetryOTLP
import Foundation
import AgentTelemetryTestSupport
import Testing

@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPSplitTests {
    @Test func hundredThousandDataPointsAreSplitGzippedAndDecodeCompletely() async throws {
        let receiver = try await OTLPReceiver(compact: true)
        let registry = MetricRegistry(cardinalityLimit: 200_000)
        let family = try registry.counter("agent_cache_hits_total", help: "Cache hits.", labelNames: ["key"])
        for i in 0..<100_000 { family.labels(["k\(i)"]).increment(by: i % 7 + 1) }
        let config = OTLPExporterConfiguration(endpoint: receiver.endpoint, timeout: .seconds(120), maxDataPointsPerRequest: 10_000)
        // The timeout is for a loaded machine: the Python receiver decodes 100,000 points slowly there.
        try await OTLPExporter(registry: registry, configuration: config).forceFlush()
        let records = await receiver.waitForRecords(11, timeout: .seconds(120))
        #expect(records.count == 11)  // 100,000 points plus the exporter's own few
        #expect(records.allSatisfy { $0["status"] as? Int == 200 && $0["decode_error"] == nil })
        #expect(records.allSatisfy { $0["content_encoding"] as? String == "gzip" })
        #expect(records.allSatisfy { ($0["points"] as? Int ?? .max) <= 10_000 })
        let perMetric = records.compactMap { ($0["points_by_metric"] as? [String: Int])?["agent_cache_hits"] }
        #expect(perMetric.reduce(0, +) == 100_000)
        let sentBytes = registry.sumOfSeries("agent_telemetry_otlp_sent_bytes_total")
        let rawBytes = records.compactMap { $0["body_bytes"] as? Int }.reduce(0, +)
        #expect(sentBytes == Double(rawBytes))
    }
}
