import AgentTelemetry
import AgentTelemetryTesting
import Foundation
import MCP
import MCPDemoTools
@preconcurrency import SystemPackage
import Testing
@testable import MCPTelemetry

/// The same calls across processes: the test is the client, `mcp-demo-server` (built with this
/// package) is the server, spoken to over its standard input and output. Each side is
/// instrumented with its one line; the server writes its metrics to a file when its input ends.
@Suite struct StdioEndToEndTests {
    static let timeout = Duration.seconds(30)

    static let server: URL? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("mcp-demo-server")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        print("SKIPPED: mcp-demo-server is not built next to the tests; run swift build --build-tests first")
        return nil
    }()

    @Test(.enabled(if: server != nil), .timeLimit(.minutes(3)))
    func aChildProcessServerAndThisClientMeasureTheSameCalls() async throws {
        guard let server = Self.server else { return }
        let metricsFile = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-server-\(UUID().uuidString).prom")
        defer { try? FileManager.default.removeItem(at: metricsFile) }
        let child = Process()
        child.executableURL = server
        child.arguments = ["--metrics-file", metricsFile.path]
        let toServer = Pipe(), fromServer = Pipe()
        child.standardInput = toServer
        child.standardOutput = fromServer
        let (exits, exited) = AsyncStream<Int32>.makeStream()
        child.terminationHandler = { process in
            exited.yield(process.terminationStatus)
            exited.finish()
        }
        try child.run()
        defer { if child.isRunning { child.terminate() } }

        let clock = ManualClock()
        var negotiated = ""
        try await withTestTelemetry { t in
            let stdio = StdioTransport(input: FileDescriptor(rawValue: fromServer.fileHandleForReading.fileDescriptor),
                                       output: FileDescriptor(rawValue: toServer.fileHandleForWriting.fileDescriptor))
            let transport = InstrumentedTransport(stdio, side: .client, telemetry: t.telemetry, timeout: Self.timeout, clock: clock)
            #expect(transport.networkTransport == "pipe", "stdio is a pipe in the conventions' terms")
            let client = Client(name: "test-agent", version: "1.0.0")
            negotiated = try await client.connect(transport: transport).protocolVersion
            MCPScenario.expectAnswers(try await MCPScenario.runAnsweredCalls(client, negotiatedVersion: negotiated))

            // The unanswered call: out on the pipe, then past the client's bound, then cancelled
            // (which the server side counts as such).
            await clock.waitForSleepers(1)
            let stalled: RequestContext<CallTool.Result> = try await client.callTool(name: "stall")
            await transport.waitUntilRequestsInFlight(atLeast: 1)
            clock.advance(by: Self.timeout + .seconds(1))
            await clock.waitForSleepers(1)
            #expect(await transport.requestsInFlight == 0)
            try await client.cancelRequest(stalled.requestID, reason: "timed out")

            await client.disconnect()
            await t.settle()
            MCPScenario.expectOperations(
                side: "client", count: { t.registry.sumOfSeries("mcp_client_operation_duration_seconds", matching: $0) },
                version: negotiated, transport: "pipe", stall: "timeout")
            #expect(t.registry.sumOfSeries("mcp_client_session_duration_seconds", matching: ["network_transport": "pipe"]) == 1)
        }

        // End of input stops the server, which writes what it measured.
        try toServer.fileHandleForWriting.close()
        var statuses = exits.makeAsyncIterator()
        #expect(await statuses.next() == 0)
        let served = try PrometheusSamples(String(contentsOf: metricsFile, encoding: .utf8))
        MCPScenario.expectOperations(
            side: "server", count: { served.sum("mcp_server_operation_duration_seconds_count", matching: $0) },
            version: negotiated, transport: "pipe", stall: "cancelled")
        #expect(served.sum("mcp_server_session_duration_seconds_count", matching: ["network_transport": "pipe", "error_type": ""]) == 1)
        #expect(served.sum("agent_mcp_sessions_active", matching: ["side": "server"]) == 0)
        #expect(served.sum("agent_tool_executions_total") == 0, "the server side is not the agent's tool execution")
    }
}

/// The samples of a Prometheus text exposition, read by hand (name, labels, value).
struct PrometheusSamples {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var chars = Substring(line)
            let name = chars.prefix { $0 != "{" && $0 != " " }
            chars = chars.dropFirst(name.count)
            var labels: [String: String] = [:]
            if chars.first == "{" {
                chars = chars.dropFirst()
                while let first = chars.first, first != "}" {
                    let key = chars.prefix { $0 != "=" }
                    chars = chars.dropFirst(key.count + 2)  // `="`
                    var value = ""
                    while let c = chars.first, c != "\"" {
                        if c == "\\", let next = chars.dropFirst().first {
                            value.append(next == "n" ? "\n" : next)
                            chars = chars.dropFirst(2)
                        } else {
                            value.append(c)
                            chars = chars.dropFirst()
                        }
                    }
                    chars = chars.dropFirst()  // closing quote
                    if chars.first == "," { chars = chars.dropFirst() }
                    labels[String(key)] = value
                }
                chars = chars.dropFirst()
            }
            let value = try #require(Double(chars.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""),
                                     "a sample value in \(line)")
            samples.append(Sample(name: String(name), labels: labels, value: value))
        }
    }

    /// The sum of the samples named `name` whose labels include `labels`.
    func sum(_ name: String, matching labels: [String: String] = [:]) -> Double {
        samples.filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }.reduce(0) { $0 + $1.value }
    }
}
