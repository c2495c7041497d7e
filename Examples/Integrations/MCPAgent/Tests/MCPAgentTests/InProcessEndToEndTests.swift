import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryTesting
import Foundation
import MCP
import MCPDemoTools
import Testing
@testable import MCPTelemetry

/// A real SDK client and server in one process over the SDK's in-memory transport, each side
/// instrumented: every call is measured on both sides, with its method, tool and outcome.
@Suite struct InProcessEndToEndTests {
    static let timeout = Duration.seconds(30)

    /// `via` on the tool metrics is opt-in (direct calls keep their series unchanged); turned on here.
    static var configuration: TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.views = MetricViews(views: [
            MetricView(match: "agent_tool_executions_total", optInLabels: ["via"]),
            MetricView(match: "agent_tool_execution_duration_seconds", optInLabels: ["via"]),
        ])
        return c
    }

    @Test func bothSidesMeasureEveryCallAndTheUnansweredOneTimesOutOnBoth() async throws {
        let clock = ManualClock()
        try await withTestTelemetry(configuration: Self.configuration) { t in
            let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
            let (stalls, stallArrived) = AsyncStream<Void>.makeStream()
            let server = await DemoToolServer.make(onStall: { stallArrived.yield() })
            let serverTransport = InstrumentedTransport(serverSide, side: .server, telemetry: t.telemetry, timeout: Self.timeout, clock: clock)
            let clientTransport = InstrumentedTransport(clientSide, side: .client, telemetry: t.telemetry, timeout: Self.timeout, clock: clock)
            try await server.start(transport: serverTransport)
            let client = Client(name: "test-agent", version: "1.0.0")
            let initialized = try await client.connect(transport: clientTransport)

            let view = try await MCPScenario.runAnsweredCalls(client, negotiatedVersion: initialized.protocolVersion)
            MCPScenario.expectAnswers(view)

            // The call the server never answers: both timers are parked, the call reaches the tool,
            // then time passes beyond the bound.
            await clock.waitForSleepers(2)
            let stalled: RequestContext<CallTool.Result> = try await client.callTool(name: "stall")
            var arrivals = stalls.makeAsyncIterator()
            await arrivals.next()
            #expect(await clientTransport.requestsInFlight == 1)
            #expect(await serverTransport.requestsInFlight == 1)
            clock.advance(by: Self.timeout + .seconds(1))
            await clock.waitForSleepers(2)
            #expect(await clientTransport.requestsInFlight == 0, "the client forgot it")
            #expect(await serverTransport.requestsInFlight == 0, "the server side too")
            try await client.cancelRequest(stalled.requestID, reason: "timed out")

            await client.disconnect()
            await server.stop()
            await t.settle()

            for side in ["client", "server"] {
                MCPScenario.expectOperations(
                    side: side, count: { t.registry.sumOfSeries("mcp_\(side)_operation_duration_seconds", matching: $0) },
                    version: initialized.protocolVersion, transport: "", stall: "timeout")
                #expect(t.registry.sumOfSeries("mcp_\(side)_session_duration_seconds",
                                               matching: ["mcp_protocol_version": initialized.protocolVersion, "error_type": ""]) == 1)
                #expect(t.gaugeValue("agent_mcp_sessions_active", ["side": side, "network_transport": ""]) == 0)
            }

            // The agent's tool metrics count the calls made through MCP, marked as such, once (client side).
            for (tool, outcome) in [("add", "success"), ("fail", "failure"), ("no_such_tool", "failure"), ("stall", "timeout")] {
                #expect(t.counterValue("agent_tool_executions_total",
                                       ["tool": tool, "vertical": "general", "outcome": outcome, "via": "mcp"]) == 1, "\(tool)")
            }
            #expect(t.registry.sumOfSeries("agent_tool_executions_total") == 4)
            #expect(t.registry.sumOfSeries("agent_tool_execution_duration_seconds", matching: ["via": "mcp"]) == 4)
        }
    }

    @Test func theOTLPExportHasTheConventionsNamesUnitsBucketsAndAttributes() async throws {
        try await withTestTelemetry(configuration: Self.configuration) { t in
            let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
            let server = await DemoToolServer.make()
            try await server.start(transport: serverSide.instrumented(.server, telemetry: t.telemetry))
            let client = Client(name: "test-agent", version: "1.0.0")
            let initialized = try await client.connect(transport: clientSide.instrumented(.client, telemetry: t.telemetry))
            MCPScenario.expectAnswers(try await MCPScenario.runAnsweredCalls(client, negotiatedVersion: initialized.protocolVersion))
            await client.disconnect()
            await server.stop()
            await t.settle()

            let body = try OTLPRequestEncoder(configuration: OTLPExporterConfiguration(serviceName: "mcp-agent-tests"))
                .encode(t.registry.snapshot())
            guard let request = try MCPScenario.decodeOTLP(body) else { return }
            let metrics = MCPScenario.metrics(request)
            for name in ["mcp.client.operation.duration", "mcp.server.operation.duration",
                         "mcp.client.session.duration", "mcp.server.session.duration"] {
                let metric = try #require(metrics[name], "\(name) is exported")
                #expect(metric["unit"] as? String == "s", "\(name)")
                let firstPoint = ((metric["histogram"] as? [String: Any])?["dataPoints"] as? [[String: Any]])?.first
                #expect(firstPoint?["explicitBounds"] as? [Double] == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
                        "\(name): the conventions' recommended boundaries")
            }
            for side in ["client", "server"] {
                let points = MCPScenario.points(metrics["mcp.\(side).operation.duration"] ?? [:])
                func count(_ attributes: [String: String]) -> Int {
                    points.filter { p in attributes.allSatisfy { p.attributes[$0.key] == $0.value } }.reduce(0) { $0 + $1.count }
                }
                #expect(count(["mcp.method.name": "tools/call", "gen_ai.tool.name": "add", "mcp.protocol.version": initialized.protocolVersion]) == 1)
                #expect(count(["mcp.method.name": "tools/call", "gen_ai.tool.name": "fail", "error.type": "tool_error"]) == 1)
                #expect(count(["mcp.method.name": "tools/call", "gen_ai.tool.name": "no_such_tool", "error.type": "-32602"]) == 1)
                #expect(count(["mcp.method.name": "resources/read"]) == 1)
                #expect(points.allSatisfy { $0.attributes["error.type"] != "" && $0.attributes["network.transport"] == nil },
                        "empty attributes are not sent: no error.type on success, no network.transport in process")
                #expect(points.allSatisfy { $0.attributes.keys.allSatisfy { !$0.contains("_") || $0.hasPrefix("gen_ai.") } },
                        "attribute keys in the conventions' dotted spelling: \(points.map(\.attributes.keys))")
            }
        }
    }

    @Test func aRequestSentInsideATraceGetsAnExemplarPointingToIt() async throws {
        try await withTestTelemetry { t in
            let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
            let server = await DemoToolServer.make()
            try await server.start(transport: serverSide)
            let client = Client(name: "test-agent", version: "1.0.0")
            let initialized = try await client.connect(transport: clientSide.instrumented(.client, telemetry: t.telemetry))
            let trace = TraceReference.random()
            _ = try await trace.withCurrent { try await client.callTool(name: "add", arguments: ["a": 1, "b": 1]) }
            await client.disconnect()
            await server.stop()
            await t.settle()

            let exemplars = t.exemplars("mcp_client_operation_duration_seconds", [
                "mcp_method_name": "tools/call", "gen_ai_tool_name": "add", "error_type": "",
                "network_transport": "", "mcp_protocol_version": initialized.protocolVersion,
            ]).compactMap { $0 }
            #expect(exemplars.map(\.trace) == [trace], "the bucket the call fell in names the caller's trace")
        }
    }
}
