import AgentTelemetry
import AgentTelemetryTesting
import Foundation
import MCP
import Testing
@testable import MCPTelemetry

/// A request nobody answers is a timeout once its bound has passed, and leaves nothing behind.
/// Time is a manual clock: the tests move it and wait for the transport's timer to park again,
/// which is how they know it has looked (no sleeps).
@Suite struct UnansweredRequestTests {
    static let timeout = Duration.seconds(30)

    static func request(_ id: Int, tool: String = "search") -> Data {
        Data(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{}}}"#.utf8)
    }

    static func timeouts(_ t: TestTelemetry) -> Double {
        t.registry.sumOfSeries("mcp_client_operation_duration_seconds", matching: ["error_type": "timeout"])
    }

    @Test func anUnansweredRequestIsATimeoutOnlyAfterItsBoundAndThenLeavesNoState() async throws {
        let clock = ManualClock()
        try await withTestTelemetry { t in
            let transport = InstrumentedTransport(SilentPeer(), side: .client, telemetry: t.telemetry,
                                                  timeout: Self.timeout, clock: clock)
            try await transport.connect()
            await clock.waitForSleepers(1)
            try await transport.send(Self.request(1))
            #expect(await transport.requestsInFlight == 1)

            clock.advance(by: Self.timeout - .seconds(1))
            await clock.waitForSleepers(1)
            await t.settle()
            #expect(Self.timeouts(t) == 0, "not before its bound")
            #expect(await transport.requestsInFlight == 1)

            clock.advance(by: .seconds(2))
            await clock.waitForSleepers(1)
            await t.settle()
            #expect(Self.timeouts(t) == 1)
            #expect(t.registry.sumOfSeries("mcp_client_operation_duration_seconds",
                                           matching: ["mcp_method_name": "tools/call", "gen_ai_tool_name": "search", "error_type": "timeout"]) == 1)
            #expect(await transport.requestsInFlight == 0)
            #expect(await transport.trackingSlots == 0)
            await transport.disconnect()
        }
    }

    @Test func tenThousandUnansweredRequestsKeepTheTableWithinItsBoundAndAreAllCountedAsTimeouts() async throws {
        let clock = ManualClock()
        let bound = 100
        try await withTestTelemetry { t in
            let peer = SilentPeer()
            let transport = InstrumentedTransport(peer, side: .client, telemetry: t.telemetry, timeout: Self.timeout,
                                                  maxInFlight: bound, clock: clock)
            try await transport.connect()
            await clock.waitForSleepers(1)
            var largestTable = 0
            var largestSlots = 0
            for id in 0..<10_000 {
                try await transport.send(Self.request(id))
                largestTable = max(largestTable, await transport.requestsInFlight)
                largestSlots = max(largestSlots, await transport.trackingSlots)
            }
            #expect(await peer.sent == 10_000, "every request was forwarded")
            #expect(largestTable == bound, "the table never held more than its bound")
            #expect(largestSlots <= 3 * bound + 1, "nor did the deadline order (\(largestSlots))")

            clock.advance(by: Self.timeout + .seconds(1))
            await clock.waitForSleepers(1)
            await t.settle()
            #expect(await transport.requestsInFlight == 0)
            #expect(await transport.trackingSlots == 0)
            #expect(Self.timeouts(t) == 10_000, "each one counted once: the displaced ones and the expired ones")
            await transport.disconnect()
        }
    }

    @Test func answeredRequestsDoNotAccumulateBookkeeping() async throws {
        let clock = ManualClock()
        try await withTestTelemetry { t in
            let peer = SilentPeer()
            let transport = InstrumentedTransport(peer, side: .client, telemetry: t.telemetry, timeout: Self.timeout,
                                                  maxInFlight: 10, clock: clock)
            let stream = await transport.receive()
            try await transport.connect()
            var responses = stream.makeAsyncIterator()
            for id in 0..<1_000 {
                try await transport.send(Self.request(id))
                peer.arrive(#"{"jsonrpc":"2.0","id":\#(id),"result":{"content":[]}}"#)
                _ = try await responses.next()
            }
            #expect(await transport.requestsInFlight == 0)
            #expect(await transport.trackingSlots <= 31, "stale slots are compacted at three times the bound")
            await t.settle()
            #expect(t.registry.sumOfSeries("mcp_client_operation_duration_seconds", matching: ["error_type": ""]) == 1_000)
            await transport.disconnect()
        }
    }

    @Test func aResponseThatCannotBeSentIsATransportFailureOnTheServerSide() async throws {
        let clock = ManualClock()
        try await withTestTelemetry { t in
            let peer = SilentPeer()
            let transport = InstrumentedTransport(peer, side: .server, telemetry: t.telemetry, timeout: Self.timeout, clock: clock)
            var incoming = await transport.receive().makeAsyncIterator()
            try await transport.connect()
            peer.arrive(String(decoding: Self.request(1, tool: "add"), as: UTF8.self))
            _ = try await incoming.next()
            #expect(await transport.requestsInFlight == 1, "the request arrived")

            await peer.breakPipe()
            await #expect(throws: SilentPeer.BrokenPipe.self) {
                try await transport.send(Data(#"{"jsonrpc":"2.0","id":1,"result":{"content":[]}}"#.utf8))
            }
            await t.settle()
            #expect(t.registry.sumOfSeries("mcp_server_operation_duration_seconds",
                                           matching: ["gen_ai_tool_name": "add", "error_type": "transport_error"]) == 1)
            #expect(t.registry.sumOfSeries("mcp_server_operation_duration_seconds", matching: ["error_type": ""]) == 0,
                    "not counted as answered")
            #expect(await transport.requestsInFlight == 0)
            await transport.disconnect()
        }
    }
}
