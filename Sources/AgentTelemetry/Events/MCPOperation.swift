/// One Model Context Protocol request, measured on the side that observed it: sent by this side
/// and answered (client), or received and answered by this side (server).
///
/// What the OpenTelemetry conventions call an MCP operation; `record` puts it in
/// `mcp.client.operation.duration` or `mcp.server.operation.duration`. A `tools/call` measured on
/// the client side also counts as a tool execution (`via="mcp"`), so the tool dashboards show it.
public struct MCPOperation: TelemetryEvent {
    public static let eventName = "mcp_operation"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When the operation ended (its response, cancellation or timeout).
    public var timestamp: EventTimestamp
    /// Which side measured it.
    public var side: MCPSide
    /// The JSON-RPC method (`tools/call`, `resources/read`, `initialize`, …): `mcp.method.name`.
    public var method: String
    /// The tool a `tools/call` named: `gen_ai.tool.name`; nil for other methods.
    public var toolName: String?
    /// How it ended.
    public var outcome: MCPOutcome
    /// From the request to its response (or to the timeout, cancellation or failure).
    public var duration: Duration
    /// The transport underneath (`network.transport`): `pipe` for stdio, `tcp` for HTTP; nil in process.
    public var networkTransport: String?
    /// The protocol version the session negotiated (`mcp.protocol.version`), when known.
    public var protocolVersion: String?
    /// The agent the call ran for: by default the one whose `track(agent:)` encloses the emitting task.
    public var agentName: String?

    /// Creates the event.
    public init(side: MCPSide, method: String, toolName: String? = nil, outcome: MCPOutcome, duration: Duration,
                networkTransport: String? = nil, protocolVersion: String? = nil,
                agentName: String? = WorkContext.current.agent, timestamp: EventTimestamp = .now) {
        self.side = side
        self.method = method
        self.toolName = toolName
        self.outcome = outcome
        self.duration = duration
        self.networkTransport = networkTransport
        self.protocolVersion = protocolVersion
        self.agentName = agentName
        self.timestamp = timestamp
    }
}

/// The side of a Model Context Protocol connection that measured something.
public enum MCPSide: String, Sendable, Hashable {
    /// The MCP client (the agent calling tools).
    case client
    /// The MCP server (the one offering them).
    case server
}

/// How an MCP request ended, as `error.type` names it.
public enum MCPOutcome: Sendable, Hashable {
    /// A result arrived (for `tools/call`: one without `isError`).
    case success
    /// The response was a JSON-RPC error with this code (`-32601` method not found, `-32602`
    /// invalid params, …). `error.type` is the code as text, as the conventions ask.
    case jsonRPCError(code: Int)
    /// A tool ran and reported failure (`isError: true`): `error.type="tool_error"`.
    case toolError
    /// No response within the instrumentation's bound: `error.type="timeout"`.
    case timeout
    /// The request or its response could not be carried (a send failed, the connection ended
    /// first): `error.type="transport_error"`.
    case transportFailure
    /// Cancelled by `notifications/cancelled` before it was answered: `error.type="cancelled"`.
    case cancelled

    /// The `error.type` value; empty on success (and then not sent over OTLP).
    public var errorType: String {
        switch self {
        case .success: ""
        case .jsonRPCError(let code): String(code)
        case .toolError: "tool_error"
        case .timeout: "timeout"
        case .transportFailure: "transport_error"
        case .cancelled: "cancelled"
        }
    }

    /// The outcome of the same call counted as a tool execution.
    public var toolOutcome: Outcome {
        switch self {
        case .success: .success
        case .timeout: .timeout
        case .cancelled: .cancelled
        case .jsonRPCError, .toolError, .transportFailure: .failure
        }
    }
}
