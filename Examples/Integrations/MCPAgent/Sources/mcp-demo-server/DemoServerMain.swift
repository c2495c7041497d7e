// mcp-demo-server: the demo tools served over stdio, measured on the server side. On end of input
// (the client went away) it stops, drains its telemetry and, given `--metrics-file PATH`, writes
// its metrics there in Prometheus text (the tests read them).
//
//   swift run mcp-demo-server --metrics-file /tmp/server.prom
import AgentTelemetry
import AgentTelemetryPrometheus
import Foundation
import MCP
import MCPDemoTools
import MCPTelemetry

@main
struct DemoServerMain {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let metricsFile = arguments.firstIndex(of: "--metrics-file").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        let telemetry = try Telemetry(configuration: .init(sampleProcess: false))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await telemetry.run() }

            let server = await DemoToolServer.make()
            // The one line that instruments the server:
            try await server.start(transport: StdioTransport().instrumented(.server, telemetry: telemetry))
            await server.waitUntilCompleted()
            await server.stop()

            await telemetry.shutdown()
            try await group.waitForAll()
        }

        if let metricsFile {
            var text: [UInt8] = []
            PrometheusTextEncoder().encode(registry: telemetry.registry, into: &text)
            try Data(text).write(to: URL(fileURLWithPath: metricsFile), options: .atomic)
        }
    }
}
