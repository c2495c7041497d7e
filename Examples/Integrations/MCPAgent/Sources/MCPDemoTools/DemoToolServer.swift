import MCP

/// A small MCP server with one of everything the tests need: a tool that works (`add`), one that
/// reports failure (`fail`, `isError: true`), one that never answers (`stall`), and a resource
/// (`memo://readme`). A tool it does not know is refused with JSON-RPC error -32602.
public enum DemoToolServer {
    /// The resource `resources/read` serves.
    public static let readmeURI = "memo://readme"
    /// Its text.
    public static let readmeText = "Tools: add, fail, stall."

    /// The tools `tools/list` returns.
    public static let tools: [Tool] = [
        Tool(name: "add", description: "Adds two integers a and b.",
             inputSchema: .object(["type": "object", "properties": .object(["a": .object(["type": "integer"]), "b": .object(["type": "integer"])])])),
        Tool(name: "fail", description: "Always fails, as a tool does: isError true.", inputSchema: .object(["type": "object"])),
        Tool(name: "stall", description: "Never answers.", inputSchema: .object(["type": "object"])),
    ]

    /// A server with the handlers registered; start it on a transport. `onStall` is called when a
    /// `stall` call has arrived (a test waits for it instead of sleeping).
    public static func make(onStall: (@Sendable () -> Void)? = nil) async -> Server {
        let server = Server(name: "demo-tools", version: "1.0.0",
                            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            switch params.name {
            case "add":
                let a = params.arguments?["a"]?.intValue ?? 0
                let b = params.arguments?["b"]?.intValue ?? 0
                return .init(content: [.text(text: String(a + b), annotations: nil, _meta: nil)], isError: false)
            case "fail":
                return .init(content: [.text(text: "the disk is full", annotations: nil, _meta: nil)], isError: true)
            case "stall":
                // Holds the request until the server stops or the client cancels it: no response.
                onStall?()
                try await Task.sleep(for: .seconds(86_400))
                return .init(content: [])
            default:
                throw MCPError.invalidParams("Unknown tool: \(params.name)")
            }
        }
        await server.withMethodHandler(ListResources.self) { _ in
            .init(resources: [Resource(name: "readme", uri: readmeURI, mimeType: "text/plain")])
        }
        await server.withMethodHandler(ReadResource.self) { params in
            guard params.uri == readmeURI else { throw MCPError.invalidParams("Unknown resource: \(params.uri)") }
            return .init(contents: [.text(readmeText, uri: readmeURI, mimeType: "text/plain")])
        }
        return server
    }
}
