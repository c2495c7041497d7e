import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing

/// Views and common labels in the OTLP payload, decoded by the official opentelemetry-proto classes.
@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPViewTests {
    @Test func mergedSeriesRenamedMetricDeniedMetricAndCommonLabelsAsResourceAttributes() async throws {
        let receiver = try await OTLPReceiver()
        var requestsName = ""
        try await withTestTelemetry(configuration: ViewScenario.configuration) { t in
            ViewScenario.emitWorkload(t.telemetry)
            await t.settle()
            requestsName = t.registry.registeredFamily(named: "agent_provider_requests_total")?.exported.otlpName ?? "?"
            let exporter = try OTLPExporter(registry: t.registry, configuration: OTLPExporterConfiguration(
                endpoint: receiver.endpoint, timeout: .seconds(120), serviceName: "view-test",
                resourceAttributes: ["version": "from-resource"]))
            try await exporter.forceFlush()
        }
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(1))
        try #require(requests.count == 1)

        // Common labels are resource attributes, not point attributes; a configured resource
        // attribute of the same key wins.
        let resource = try #require(Decoded.resourceMetrics(requests[0]).first?["resource"] as? [String: Any])
        let attributes = Decoded.attributes(resource)
        #expect(attributes["environment"] == "staging")
        #expect(attributes["version"] == "from-resource")
        #expect(attributes["service.name"] == "view-test")

        // `model` dropped: one point, the sum over the models.
        let names = Decoded.metrics(requests).compactMap { $0["name"] as? String }
        let requestsMetric = try #require(Decoded.metric(requestsName, in: requests), "metrics: \(names)")
        let points = Decoded.points(requestsMetric)
        #expect(points.count == 1)
        #expect(points.first.map(Decoded.attributes) == ["provider": "openai", "outcome": "success"])
        #expect(points.first.flatMap { Decoded.double($0, "as_double") } == Double(ViewScenario.totalRequests))

        // Renamed everywhere; denied nowhere.
        let tools = try Decoded.requiredMetric("agent_tool_calls", in: requests)
        #expect(Decoded.points(tools).first.flatMap { Decoded.double($0, "as_double") } == Double(ViewScenario.toolCalls))
        #expect(!names.contains { $0.contains("tool_executions") })
        #expect(!names.contains { $0.contains("pipeline") }, "a denied metric was exported: \(names)")
        for point in Decoded.metrics(requests).flatMap(Decoded.points) {
            #expect(Decoded.attributes(point)["version"] == nil, "a common label was sent as a point attribute")
        }
    }
}
