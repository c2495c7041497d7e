import AgentTelemetry
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Foundation
import Testing
@testable import AgentTelemetryOTLP

/// Exemplars on OTLP Sum and Histogram points, decoded by the official opentelemetry-proto
/// classes: the trace and span ids current at emit, the value and the time; each exemplar is sent
/// until a collector accepted it, then not again.
@Suite struct OTLPExemplarTests {
    static let a = TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7")!
    static let b = TraceReference(traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331")!

    /// `trace_id`/`span_id` as MessageToDict renders bytes (base64), back to lowercase hex.
    static func hex(_ base64: Any?) -> String? {
        guard let text = base64 as? String, let data = Data(base64Encoded: text) else { return nil }
        return data.map { String(format: "%02x", $0) }.joined()
    }

    static func exemplars(_ point: [String: Any]) -> [[String: Any]] { point["exemplars"] as? [[String: Any]] ?? [] }

    @Test(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
    func histogramAndSumPointsCarryTheTraceCurrentAtEmitAndEachIsSentUntilAccepted() async throws {
        let receiver = try await OTLPReceiver(script: "503")
        defer { receiver.stop() }
        let before = UInt64(Date().timeIntervalSince1970 * 1e9)
        try await withTestTelemetry { t in
            let exporter = try OTLPExporter(registry: t.registry, configuration: OTLPExporterConfiguration(
                endpoint: receiver.endpoint, timeout: .seconds(120), serviceName: "exemplar-test"))
            let durationName = try #require(t.registry.registeredFamily(named: "agent_tool_execution_duration_seconds")?.exported.otlpName)
            let countName = try #require(t.registry.registeredFamily(named: "agent_tool_executions_total")?.exported.otlpName)
            let attributes = ["tool": "search", "vertical": "general"]

            Self.a.withCurrent { t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(30))) }
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .seconds(3)), trace: Self.b)
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(700)))
            await t.settle()
            let after = UInt64(Date().timeIntervalSince1970 * 1e9)
            // The first attempt is refused (503); the exporter's retry must carry the exemplars.
            try await exporter.forceFlush()
            var records = await receiver.waitForRecords(2)
            #expect(records.first?["status"] as? Int == 503)
            var requests = Decoded.acceptedRequests(records)
            try #require(requests.count == 1)

            let histogram = try Decoded.requiredPoint(try Decoded.requiredMetric(durationName, in: requests), attributes)
            let hx = Self.exemplars(histogram)
            #expect(hx.count == 2, "histogram exemplars: \(hx)")
            let byTrace = Dictionary(hx.map { (Self.hex($0["trace_id"]) ?? "?", $0) }, uniquingKeysWith: { x, _ in x })
            #expect(Set(byTrace.keys) == [Self.a.traceIDHex, Self.b.traceIDHex])
            #expect(Self.hex(byTrace[Self.a.traceIDHex]?["span_id"]) == Self.a.spanIDHex)
            #expect(Self.hex(byTrace[Self.b.traceIDHex]?["span_id"]) == Self.b.spanIDHex)
            #expect(abs((byTrace[Self.a.traceIDHex].flatMap { Decoded.double($0, "as_double") } ?? 0) - 0.03) < 1e-12)
            #expect(byTrace[Self.b.traceIDHex].flatMap { Decoded.double($0, "as_double") } == 3)
            for e in hx {
                let time = try #require(Decoded.uint64(e, "time_unix_nano"))
                #expect(time >= before && time <= after, "exemplar time \(time) outside [\(before), \(after)]")
                #expect(e["filtered_attributes"] == nil)
            }
            let sum = try Decoded.requiredPoint(try Decoded.requiredMetric(countName, in: requests), ["tool": "search", "vertical": "general", "outcome": "success"])
            let sx = Self.exemplars(sum)
            #expect(sx.count == 1)
            #expect(Self.hex(sx.first?["trace_id"]) == Self.b.traceIDHex, "the sum keeps the latest traced increment")
            #expect(sx.first.flatMap { Decoded.double($0, "as_double") } == 1)

            // Accepted: not sent again. A new traced observation is the only one in the next export.
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(31)), trace: Self.b)
            await t.settle()
            try await exporter.forceFlush()
            records = await receiver.waitForRecords(3)
            requests = Decoded.acceptedRequests(records)
            try #require(requests.count == 2)
            let next = try Decoded.requiredPoint(try Decoded.requiredMetric(durationName, in: [requests[1]]), attributes)
            #expect(Self.exemplars(next).map { Self.hex($0["trace_id"]) } == [Self.b.traceIDHex])
            #expect(abs((Self.exemplars(next).first.flatMap { Decoded.double($0, "as_double") } ?? 0) - 0.031) < 1e-12)
            // Nothing accepted before is sent again: every exemplar of this request is the new one.
            let all = Decoded.metrics([requests[1]]).flatMap(Decoded.points).flatMap(Self.exemplars)
            #expect(!all.isEmpty)
            #expect(all.allSatisfy { Self.hex($0["span_id"]) == Self.b.spanIDHex && (Decoded.uint64($0, "time_unix_nano") ?? 0) > after },
                    "an exemplar accepted earlier was sent again: \(all)")
        }
    }

    @Test func aRefusedExportKeepsTheExemplarsForTheNextAndAnAcceptedOneDropsThem() throws {
        let info = MetricFamilyInfo(name: "x_total", help: "h", type: .counter, unit: nil, labelNames: [])
        let e1 = Exemplar(trace: Self.a, value: 1, timestampNanoseconds: 500)
        func snapshot(_ e: Exemplar?, at time: UInt64) -> MetricsSnapshot {
            MetricsSnapshot(timestampNanoseconds: time, families: [FamilySnapshot(info: info, series: [
                SeriesSnapshot(id: 1, labels: .empty, value: .counter(1), startNanoseconds: 100, exemplars: [e]),
            ])])
        }
        for temporality in [OTLPTemporality.cumulative, .delta] {
            var tracker = OTLPDeltaTracker(temporality: temporality)
            _ = tracker.metrics(from: snapshot(e1, at: 1000))  // refused: no commit
            let retried = tracker.metrics(from: snapshot(e1, at: 2000))
            #expect(retried.first?.points.first?.exemplars == [e1])
            tracker.commit(retried)
            #expect(tracker.metrics(from: snapshot(e1, at: 3000)).first?.points.first?.exemplars == [])
            let e2 = Exemplar(trace: Self.b, value: 2, timestampNanoseconds: 2500)
            #expect(tracker.metrics(from: snapshot(e2, at: 3000)).first?.points.first?.exemplars == [e2])
        }
    }
}
