import AgentTelemetry
import AgentTelemetryOTLP
import Foundation
import Logging
import AgentTelemetryTestSupport
import Testing

/// Checks what the official opentelemetry-proto classes decode from our requests.
@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPEncodingReceiverTests {
    static func configuration(_ receiver: OTLPReceiver, _ temporality: OTLPTemporality = .cumulative) -> OTLPExporterConfiguration {
        OTLPExporterConfiguration(
            endpoint: receiver.endpoint, headers: ["x-api-key": "secret-1"], temporality: temporality,
            // The timeout is a hang guard: these tests check what is decoded, and a Python receiver
            // on a machine running the whole suite can take seconds to answer.
            timeout: .seconds(60), initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100),
            serviceName: "checkout-agent", serviceVersion: "1.2.3", serviceInstanceID: "instance-42",
            resourceAttributes: ["deployment.environment": "test"], scopeName: "agent-telemetry-tests", scopeVersion: "9.9")
    }

    struct Fixture {
        let registry = MetricRegistry()
        let tokens: HistogramFamily
        let calls: CounterFamily
        let queue: GaugeFamily
        let empty: HistogramFamily
        let start = WallClock.nowNanoseconds()

        init() throws {
            calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.", labelNames: ["tool", "outcome"])
            queue = try registry.gauge("agent_queue_depth", help: "Queued events.")
            tokens = try registry.histogram("gen_ai_client_token_usage", help: "Tokens per call.", unit: .tokens,
                                            labelNames: ["gen_ai_token_type"], buckets: [1, 4, 16, 64])
            empty = try registry.histogram("agent_step_duration_seconds", help: "Step time.", unit: .seconds,
                                           labelNames: [], buckets: [0.1, 1])
            calls.increment(by: 3, labels: ["search", "ok"])
            calls.increment(by: 1, labels: ["search", "error"])
            calls.increment(by: 2.5, labels: ["fetch", "ok"])
            queue.series.set(17)
            for v in [2.0, 3.0, 50.0, 100.0] { tokens.observe(v, labels: ["input"]) }
            _ = empty.series
        }
    }

    @Test func officialClassesDecodeNamesUnitsValuesAndTemporality() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        let exporter = try OTLPExporter(registry: f.registry, configuration: Self.configuration(receiver))
        try await exporter.forceFlush()
        let records = await receiver.waitForRecords(1)
        let requests = Decoded.acceptedRequests(records)
        try #require(requests.count == 1)

        let calls = try Decoded.requiredMetric("agent_tool_calls", in: requests)
        #expect(calls["description"] as? String == "Tool calls.")
        #expect(calls["unit"] == nil)
        let sum = try #require(calls["sum"] as? [String: Any])
        #expect(sum["aggregation_temporality"] as? String == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        #expect(sum["is_monotonic"] as? Bool == true)
        #expect(Decoded.points(calls).count == 3)
        #expect(Decoded.double(try Decoded.requiredPoint(calls, ["tool": "search", "outcome": "ok"]), "as_double") == 3)
        #expect(Decoded.double(try Decoded.requiredPoint(calls, ["tool": "search", "outcome": "error"]), "as_double") == 1)
        #expect(Decoded.double(try Decoded.requiredPoint(calls, ["tool": "fetch", "outcome": "ok"]), "as_double") == 2.5)

        let queue = try Decoded.requiredMetric("agent_queue_depth", in: requests)
        #expect(queue["gauge"] != nil)
        #expect(Decoded.double(try Decoded.firstPoint(queue), "as_double") == 17)

        let tokens = try Decoded.requiredMetric("gen_ai_client_token_usage", in: requests)
        #expect(tokens["unit"] as? String == "{token}")
        let hist = try #require(tokens["histogram"] as? [String: Any])
        #expect(hist["aggregation_temporality"] as? String == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        let hp = try Decoded.requiredPoint(tokens, ["gen_ai_token_type": "input"])
        #expect(Decoded.uint64(hp, "count") == 4)
        #expect(Decoded.double(hp, "sum") == 155)
        #expect((hp["bucket_counts"] as? [String])?.compactMap { UInt64($0) } == [0, 2, 0, 1, 1])
        #expect((hp["explicit_bounds"] as? [Double]) == [1, 4, 16, 64])
        #expect(Decoded.double(hp, "min") == 2)
        #expect(Decoded.double(hp, "max") == 100)

        let steps = try Decoded.requiredMetric("agent_step_duration", in: requests)
        #expect(steps["unit"] as? String == "s")
        let sp = try Decoded.firstPoint(steps)
        #expect(sp["min"] == nil && sp["max"] == nil)
        #expect(Decoded.uint64(sp, "count") ?? 0 == 0)
    }

    @Test func timestampsAreSeriesStartAndExportTime() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        let exporter = try OTLPExporter(registry: f.registry, configuration: Self.configuration(receiver))
        try await exporter.forceFlush()
        let after = WallClock.nowNanoseconds()
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(1))
        let point = try Decoded.firstPoint(try Decoded.requiredMetric("agent_tool_calls", in: requests))
        let start = try #require(Decoded.uint64(point, "start_time_unix_nano"))
        let time = try #require(Decoded.uint64(point, "time_unix_nano"))
        #expect(start >= f.start && start <= time)
        #expect(time <= after)
    }

    @Test func resourceCarriesServiceAndSDKAttributes() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        try await OTLPExporter(registry: f.registry, configuration: Self.configuration(receiver)).forceFlush()
        let request = try #require(Decoded.acceptedRequests(await receiver.waitForRecords(1)).first)
        let rm = try #require(Decoded.resourceMetrics(request).first)
        let attributes = Decoded.attributes(try #require(rm["resource"] as? [String: Any]))
        #expect(attributes == [
            "service.name": "checkout-agent", "service.version": "1.2.3", "service.instance.id": "instance-42",
            "deployment.environment": "test", "telemetry.sdk.name": "agent-telemetry",
            "telemetry.sdk.language": "swift", "telemetry.sdk.version": OTLPExporterConfiguration.sdkVersion,
        ])
        let scopeMetrics = try #require((rm["scope_metrics"] as? [[String: Any]]))
        #expect(scopeMetrics.count == 1)
        let scope = try #require(scopeMetrics.first?["scope"] as? [String: Any])
        #expect(scope["name"] as? String == "agent-telemetry-tests")
        #expect(scope["version"] as? String == "9.9")
    }

    @Test func requestIsGzipProtobufPostToV1MetricsWithCustomHeaders() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        try await OTLPExporter(registry: f.registry, configuration: Self.configuration(receiver)).forceFlush()
        let record = try #require(await receiver.waitForRecords(1).first)
        #expect(record["path"] as? String == "/v1/metrics")
        #expect(record["content_type"] as? String == "application/x-protobuf")
        #expect(record["content_encoding"] as? String == "gzip")
        #expect((record["headers"] as? [String: String])?["x-api-key"] == "secret-1")
        #expect(record["decode_error"] == nil)
    }

    @Test func uncompressedBodiesDecodeToo() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        var c = Self.configuration(receiver)
        c.compression = .none
        try await OTLPExporter(registry: f.registry, configuration: c).forceFlush()
        let record = try #require(await receiver.waitForRecords(1).first)
        #expect(record["content_encoding"] is NSNull || record["content_encoding"] == nil)
        #expect(Decoded.metric("agent_tool_calls", in: Decoded.acceptedRequests([record])) != nil)
    }

    @Test func deltaTemporalityIsDeclaredAndSendsChanges() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        let exporter = try OTLPExporter(registry: f.registry, configuration: Self.configuration(receiver, .delta))
        try await exporter.forceFlush()
        f.calls.increment(by: 4, labels: ["search", "ok"])
        f.tokens.observe(8, labels: ["input"])
        try await exporter.forceFlush()
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(2))
        try #require(requests.count == 2)
        let first = try Decoded.requiredMetric("agent_tool_calls", in: [requests[0]])
        let second = try Decoded.requiredMetric("agent_tool_calls", in: [requests[1]])
        #expect((second["sum"] as? [String: Any])?["aggregation_temporality"] as? String == "AGGREGATION_TEMPORALITY_DELTA")
        let p1 = try Decoded.requiredPoint(first, ["tool": "search", "outcome": "ok"])
        let p2 = try Decoded.requiredPoint(second, ["tool": "search", "outcome": "ok"])
        #expect(Decoded.double(p1, "as_double") == 3)
        #expect(Decoded.double(p2, "as_double") == 4)
        #expect(Decoded.uint64(p2, "start_time_unix_nano") == Decoded.uint64(p1, "time_unix_nano"))
        let h2 = try Decoded.requiredPoint(try Decoded.requiredMetric("gen_ai_client_token_usage", in: [requests[1]]), ["gen_ai_token_type": "input"])
        #expect(Decoded.uint64(h2, "count") == 1)
        #expect((h2["bucket_counts"] as? [String])?.compactMap { UInt64($0) } == [0, 0, 1, 0, 0])
        #expect(h2["min"] == nil)
    }

    @Test func exporterHealthMetricsAreExportedToo() async throws {
        let receiver = try await OTLPReceiver()
        let f = try Fixture()
        let exporter = try OTLPExporter(registry: f.registry, configuration: Self.configuration(receiver))
        try await exporter.forceFlush()
        try await exporter.forceFlush()
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(2))
        let exports = try Decoded.requiredMetric("agent_telemetry_otlp_exports", in: [requests[1]])
        #expect(Decoded.double(try Decoded.requiredPoint(exports, ["result": "success"]), "as_double") == 1)
        let sent = try Decoded.requiredMetric("agent_telemetry_otlp_sent", in: [requests[1]])
        #expect(sent["unit"] as? String == "By")
        #expect((Decoded.double(try Decoded.firstPoint(sent), "as_double") ?? 0) > 0)
    }
}
