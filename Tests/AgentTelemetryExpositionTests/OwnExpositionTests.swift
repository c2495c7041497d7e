import AgentTelemetry
import AgentTelemetryExposition
import AgentTelemetryPrometheus
import AgentTelemetryRuntime
import AgentTelemetryTesting
import CompressNIO
import NIOCore
import Foundation
import Testing

/// The project's own expositions, as the encoder writes them, read back by the parser.
@Suite("The project's own expositions")
struct OwnExpositionTests {
    static let traced = TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7")!

    /// The demo workload's first requests (a third of them traced), rendered in both formats from one registry.
    static func demoExpositions() async throws -> (text: [UInt8], openMetrics: [UInt8]) {
        try await withTestTelemetry { t in
            var workload = DemoWorkload(seed: 7)
            for event in workload.startupEvents() { t.emit(event) }
            for i in 0..<200 {
                for event in workload.nextRequest() {
                    if i % 3 == 0 { t.emit(event, trace: traced) } else { t.emit(event) }
                }
            }
            await t.settle()
            var text: [UInt8] = [], om: [UInt8] = []
            PrometheusTextEncoder(format: .prometheusText).encode(registry: t.registry, into: &text)
            PrometheusTextEncoder(format: .openMetrics).encode(registry: t.registry, into: &om)
            return (text, om)
        }
    }

    /// Samples without `_created` (which only OpenMetrics writes as a sample), `le` as a number.
    static func comparable(_ e: Exposition) -> Set<String> {
        Set(e.samples.filter { !$0.name.hasSuffix("_created") }.map { s in
            var labels = s.labels
            if let le = labels["le"], let bound = Double(le == "+Inf" ? "inf" : le) { labels["le"] = "\(bound)" }
            let l = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return "\(s.name){\(l)} \(s.value.bitPattern)"
        })
    }

    @Test("both formats of one registry parse to the same samples, bit for bit; OpenMetrics keeps the exemplars")
    func bothFormats() async throws {
        let (text, om) = try await Self.demoExpositions()
        let parsedText = try ExpositionParser.parse(text, contentType: ExpositionFormat.prometheusText.contentType)
        let parsedOM = try ExpositionParser.parse(om, contentType: ExpositionFormat.openMetrics.contentType)
        #expect(parsedText.dialect == .prometheusText)
        #expect(parsedOM.dialect == .openMetrics)
        #expect(Self.comparable(parsedText) == Self.comparable(parsedOM))
        let exemplars = parsedOM.samples.compactMap(\.exemplar)
        #expect(!exemplars.isEmpty, "the OpenMetrics text has exemplars")
        #expect(exemplars.allSatisfy { $0.labels["trace_id"] == Self.traced.traceIDHex })
        #expect(parsedText.samples.allSatisfy { $0.exemplar == nil })
        // Read by content too: the exemplars and # EOF say OpenMetrics.
        #expect(try ExpositionParser.parse(om).dialect == .openMetrics)
    }

    @Test("the gzip body the endpoint sends decompresses to the text it compressed, and parses the same")
    func gzip() async throws {
        let om = try await Self.demoExpositions().openMetrics
        // Compressed as the exporter compresses a scrape answer for `Accept-Encoding: gzip`.
        var buffer = ByteBuffer(bytes: om)
        let compressed = try buffer.compress(with: .gzip())
        #expect(compressed.readableBytes < om.count)
        var received = compressed
        let body = try received.decompress(with: .gzip())
        let bytes = Array(body.readableBytesView)
        #expect(bytes == om)
        let parsed = try ExpositionParser.parse(bytes)
        #expect(Self.comparable(parsed) == Self.comparable(try ExpositionParser.parse(om)))
    }

    @Test("the test kit compares exemplars when asked, and only then")
    func kitComparesExemplars() async throws {
        try await withTestTelemetry { t in
            t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .milliseconds(30)), trace: Self.traced)
            await t.settle()
            let expected = """
                # TYPE agent_tool_executions counter
                agent_tool_executions_total{outcome="success",tool="search",vertical="general"} 1 # {span_id="\(Self.traced.spanIDHex)",trace_id="\(Self.traced.traceIDHex)"} 1
                """
            let withExemplars = t.registry.compareExposition(expected, metrics: ["agent_tool_executions"], format: .openMetrics, exemplars: true)
            #expect(withExemplars.matches, "\(withExemplars)")
            let otherTrace = expected.replacingOccurrences(of: Self.traced.traceIDHex, with: "0af7651916cd43dd8448eb211c80319c")
            let wrong = t.registry.compareExposition(otherTrace, metrics: ["agent_tool_executions"], format: .openMetrics, exemplars: true)
            #expect(!wrong.matches)
            #expect(wrong.diff.contains("- agent_tool_executions_total"))
            let ignored = t.registry.compareExposition(otherTrace, metrics: ["agent_tool_executions"], format: .openMetrics)
            #expect(ignored.matches, "exemplars are ignored by default: \(ignored)")
        }
    }

    @Test("an expected text that breaks a rule of the format shows as such in the diff")
    func kitReportsABrokenExpectedText() throws {
        let registry = MetricRegistry()
        let r = registry.compareExposition("""
            # TYPE x_total counter
            x_total -1
            """)
        #expect(!r.matches)
        #expect(r.diff.contains("! expected text: not a Prometheus text exposition: line 2:"), "\(r.diff)")
    }
}
