import AgentTelemetry
import AgentTelemetryStatsD
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing

/// Views and common labels in the StatsD lines that arrive on a real UDP socket.
@Suite("Views in StatsD lines")
struct StatsDViewTests {
    /// `name:value|type|#k:v,...` split into its parts.
    struct Line {
        var name: String
        var value: Double
        var type: String
        var tags: [String: String]

        init?(_ text: String) {
            let parts = text.split(separator: "|")
            guard parts.count >= 2, let colon = parts[0].lastIndex(of: ":"), let v = Double(parts[0][parts[0].index(after: colon)...]) else { return nil }
            name = String(parts[0][..<colon])
            value = v
            type = String(parts[1])
            var tags: [String: String] = [:]
            if let tagPart = parts.first(where: { $0.hasPrefix("#") }) {
                for pair in tagPart.dropFirst().split(separator: ",") {
                    let kv = pair.split(separator: ":", maxSplits: 1)
                    if kv.count == 2 { tags[String(kv[0])] = String(kv[1]) }
                }
            }
            self.tags = tags
        }
    }

    @Test func dogStatsDCarriesMergedSeriesRenamesNoDeniedMetricAndCommonLabelsAsTags() async throws {
        let receiver = try TestDatagramReceiver.udp()
        try await withTestTelemetry(configuration: ViewScenario.configuration) { t in
            let exporter = try StatsDExporter(registry: t.registry, configuration: StatsDConfiguration(
                port: receiver.port, flavour: .dogStatsD, constantTags: ["version": "from-config"]))
            var received: [Line] = []
            try await withRunning(exporter) {
                ViewScenario.emitWorkload(t.telemetry)
                await t.settle()
                await exporter.flush()
                let datagrams = await receiver.collect { d in
                    let l = lines(of: d).compactMap(Line.init)
                    return l.filter { $0.name == "agent_provider_requests_total" }.reduce(0) { $0 + $1.value } >= Double(ViewScenario.totalRequests)
                        && l.filter { $0.name == "agent_tool_calls_total" }.reduce(0) { $0 + $1.value } >= Double(ViewScenario.toolCalls)
                }
                received = lines(of: datagrams).compactMap(Line.init)
            }
            let requests = received.filter { $0.name == "agent_provider_requests_total" }
            #expect(requests.reduce(0) { $0 + $1.value } == Double(ViewScenario.totalRequests))
            // No `model` tag: the series are merged; the common labels are tags, a configured tag wins.
            #expect(requests.allSatisfy { $0.tags == ["provider": "openai", "outcome": "success", "environment": "staging", "version": "from-config"] },
                    "\(requests.map(\.tags))")
            #expect(received.filter { $0.name == "agent_tool_calls_total" }.reduce(0) { $0 + $1.value } == Double(ViewScenario.toolCalls))
            #expect(!received.contains { $0.name.hasPrefix("agent_tool_executions") })
            #expect(!received.contains { $0.name.contains("pipeline") }, "a denied metric was sent")
            // The metric's own `environment` wins over the common one.
            #expect(received.first { $0.name == "agent_devops_deployments_total" }?.tags["environment"] == "prod")
        }
    }

    @Test func telegrafWritesCommonLabelsAsConstantTags() throws {
        let registry = MetricRegistry(views: MetricViews(commonLabels: ["environment": "staging"]))
        let encoder = StatsDLineEncoder(configuration: StatsDConfiguration(flavour: .telegraf), commonLabels: registry.commonLabels)
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["tool"])
        var out: [UInt8] = []
        encoder.appendCounter(encoder.render(info: calls.info, labels: LabelSet(names: ["tool"], values: ["search"])),
                              increment: 3, sampleRate: 1, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "calls_total,environment=staging,tool=search:3|c")
    }
}
