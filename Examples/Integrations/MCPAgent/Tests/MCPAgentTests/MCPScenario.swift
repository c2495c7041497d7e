import AgentTelemetry
import AgentTelemetryOTLP
import Foundation
import MCP
import MCPDemoTools
import Testing

/// The calls every end-to-end test makes through a real SDK client, and what each side should
/// then have measured.
enum MCPScenario {
    /// What the client saw, to compare with the metrics.
    struct ClientView {
        var negotiatedVersion: String
        var toolNames: [String]
        var addResult: String?
        var failIsError: Bool?
        var unknownToolCode: Int?
        var resourceText: String?
    }

    /// Lists tools, calls `add`, `fail` and an unknown tool, reads the resource.
    static func runAnsweredCalls(_ client: Client, negotiatedVersion: String) async throws -> ClientView {
        var view = ClientView(negotiatedVersion: negotiatedVersion, toolNames: [])
        view.toolNames = try await client.listTools().tools.map(\.name)
        let add = try await client.callTool(name: "add", arguments: ["a": 2, "b": 3])
        if case .text(let text, _, _)? = add.content.first { view.addResult = text }
        view.failIsError = try await client.callTool(name: "fail").isError
        do {
            _ = try await client.callTool(name: "no_such_tool")
        } catch let error as MCPError {
            view.unknownToolCode = error.code
        }
        let contents = try await client.readResource(uri: DemoToolServer.readmeURI)
        view.resourceText = contents.first?.text
        return view
    }

    /// The client got what the server meant.
    static func expectAnswers(_ view: ClientView) {
        #expect(view.toolNames == ["add", "fail", "stall"])
        #expect(view.addResult == "5")
        #expect(view.failIsError == true)
        #expect(view.unknownToolCode == -32602)
        #expect(view.resourceText == DemoToolServer.readmeText)
    }

    /// One side's operations by method, tool and `error.type`, read from `count(labels)`.
    static func expectOperations(side: String, count: ([String: String]) -> Double, version: String, transport: String,
                                 stall: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let name = "mcp_\(side)_operation_duration_seconds"
        func expectOne(_ labels: [String: String], _ what: String) {
            var labels = labels
            labels["network_transport"] = transport
            #expect(count(labels) == 1, "\(name): \(what)", sourceLocation: sourceLocation)
        }
        expectOne(["mcp_method_name": "initialize", "error_type": ""], "initialize answered")
        expectOne(["mcp_method_name": "tools/list", "error_type": "", "mcp_protocol_version": version], "tools/list answered")
        expectOne(["mcp_method_name": "tools/call", "gen_ai_tool_name": "add", "error_type": "", "mcp_protocol_version": version], "add succeeded")
        expectOne(["mcp_method_name": "tools/call", "gen_ai_tool_name": "fail", "error_type": "tool_error"], "fail returned isError")
        expectOne(["mcp_method_name": "tools/call", "gen_ai_tool_name": "no_such_tool", "error_type": "-32602"], "the unknown tool was a JSON-RPC error")
        expectOne(["mcp_method_name": "resources/read", "gen_ai_tool_name": "", "error_type": ""], "the resource was read")
        expectOne(["mcp_method_name": "tools/call", "gen_ai_tool_name": "stall", "error_type": stall], "the unanswered call: \(stall)")
        #expect(count(["mcp_method_name": "tools/call"]) == 4, "\(name): four tool calls, each counted once", sourceLocation: sourceLocation)
    }

    /// Decodes an OTLP request body with the official opentelemetry-proto classes (python3) into
    /// its `MessageToDict` JSON form; nil with a printed reason when python3 or the package is missing.
    static func decodeOTLP(_ body: [UInt8]) throws -> [String: Any]? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mcp-otlp-\(UUID().uuidString).bin")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import gzip, json, sys
            from google.protobuf.json_format import MessageToDict
            from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
            data = open(sys.argv[1], "rb").read()
            if data[:2] == b"\\x1f\\x8b":
                data = gzip.decompress(data)
            print(json.dumps(MessageToDict(ExportMetricsServiceRequest.FromString(data))))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            print("SKIPPED: python3 with opentelemetry-proto is not installed; install the test peers with bash .ci/install-peers")
            return nil
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// The metrics of a decoded request, by name.
    static func metrics(_ request: [String: Any]) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for rm in request["resourceMetrics"] as? [[String: Any]] ?? [] {
            for sm in rm["scopeMetrics"] as? [[String: Any]] ?? [] {
                for m in sm["metrics"] as? [[String: Any]] ?? [] {
                    if let name = m["name"] as? String { out[name] = m }
                }
            }
        }
        return out
    }

    /// A histogram's points as (attributes, count).
    static func points(_ metric: [String: Any]) -> [(attributes: [String: String], count: Int)] {
        let histogram = metric["histogram"] as? [String: Any] ?? [:]
        return (histogram["dataPoints"] as? [[String: Any]] ?? []).map { point in
            var attributes: [String: String] = [:]
            for kv in point["attributes"] as? [[String: Any]] ?? [] {
                if let key = kv["key"] as? String, let value = (kv["value"] as? [String: Any])?["stringValue"] as? String {
                    attributes[key] = value
                }
            }
            // MessageToDict writes 64-bit integers as strings.
            let count = Int(point["count"] as? String ?? "") ?? (point["count"] as? Int ?? 0)
            return (attributes, count)
        }
    }
}
