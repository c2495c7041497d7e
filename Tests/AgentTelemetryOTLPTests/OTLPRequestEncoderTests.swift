import AgentTelemetry
import AgentTelemetryOTLP
import Testing

@Suite("OTLPRequestEncoder")
struct OTLPRequestEncoderTests {
    func snapshot() throws -> MetricsSnapshot {
        let r = MetricRegistry()
        let c = try r.counter("jobs_total", help: "Jobs.", labelNames: ["kind"])
        for i in 0..<200 { c.labels(["kind-\(i)"]).increment(by: i) }
        return r.snapshot()
    }

    @Test("without compression the body is a protobuf request naming every metric")
    func plain() throws {
        let body = try OTLPRequestEncoder(configuration: .init(compression: .none, serviceName: "svc")).encode(snapshot())
        #expect(body.first == 0x0A)  // field 1 (resource_metrics), length-delimited
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("jobs"))
        #expect(text.contains("kind-199"))
        #expect(text.contains("svc"))
    }

    @Test("with gzip the body is a gzip stream smaller than the plain body")
    func gzip() throws {
        let s = try snapshot()
        let plain = try OTLPRequestEncoder(configuration: .init(compression: .none)).encode(s)
        let zipped = try OTLPRequestEncoder(configuration: .init(compression: .gzip)).encode(s)
        #expect(Array(zipped.prefix(2)) == [0x1F, 0x8B])
        #expect(zipped.count < plain.count / 2)
    }
}
