extension MCPOperation: StandardEvent {
    /// The boundaries the OpenTelemetry MCP conventions recommend for their four duration
    /// histograms (seconds): from 10 ms to 5 minutes.
    public static let durationBuckets: [Double] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]

    static let operationLabels = ["mcp.method.name", "gen_ai.tool.name", "error.type", "network.transport", "mcp.protocol.version"]
    static let operationGuidance = [
        "mcp.method.name": "bounded: the protocol's methods (tools/call, tools/list, resources/read, initialize, …)",
        "gen_ai.tool.name": "the tool of a tools/call, absent otherwise; bounded by the cardinality limit",
        "error.type": "bounded: a JSON-RPC error code (-32601, -32602, …), tool_error, timeout, transport_error, cancelled; absent on success",
        "network.transport": "bounded: pipe (stdio), tcp (HTTP); absent in process",
        "mcp.protocol.version": "bounded: the negotiated protocol version (2025-06-18, …)",
    ]

    /// `mcp_client_operation_duration_seconds` (OpenTelemetry `mcp.client.operation.duration`).
    public static let clientDuration = operationDuration(
        .client, help: "MCP requests as the client saw them, from sending to the response",
        promQL: "histogram_quantile(0.95, sum by (le, mcp_method_name) (rate(mcp_client_operation_duration_seconds_bucket[5m])))")
    /// `mcp_server_operation_duration_seconds` (OpenTelemetry `mcp.server.operation.duration`).
    public static let serverDuration = operationDuration(
        .server, help: "MCP requests as the server saw them, from receiving to the response",
        promQL: "sum by (gen_ai_tool_name) (rate(mcp_server_operation_duration_seconds_count{mcp_method_name=\"tools/call\",error_type!=\"\"}[5m])) / sum by (gen_ai_tool_name) (rate(mcp_server_operation_duration_seconds_count{mcp_method_name=\"tools/call\"}[5m]))")

    /// The conventions' `mcp.<side>.operation.duration` histogram.
    static func operationDuration(_ side: MCPSide, help: String, promQL: String) -> MetricDescriptor {
        MetricDescriptor(
            "mcp_\(side.rawValue)_operation_duration_seconds", .histogram,
            help: help + " (OpenTelemetry mcp.\(side.rawValue).operation.duration).",
            unit: .seconds, labels: operationLabels, buckets: durationBuckets, category: .functional,
            namespaced: false, otlpName: "mcp.\(side.rawValue).operation.duration", labelGuidance: operationGuidance, promQL: promQL)
    }

    public static var metrics: [MetricDescriptor] { [clientDuration, serverDuration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let descriptor = side == .client ? Self.clientDuration : Self.serverDuration
        m.histogram(descriptor)?.labels(method, toolName ?? "", outcome.errorType, networkTransport ?? "", protocolVersion ?? "")
            .observe(duration, exemplar: exemplar)
        // The agent's side of a tools/call is a tool execution: the tool metrics count it, marked `via="mcp"`.
        if side == .client, let toolName, method == "tools/call" {
            let outcome = outcome.toolOutcome
            let agent = agentName ?? ""
            m.counter(ToolExecuted.executions)?.labels(toolName, Vertical.general.labelValue, outcome.labelValue, agent, "mcp")
                .increment(exemplar: exemplar)
            m.histogram(ToolExecuted.duration)?.labels(toolName, Vertical.general.labelValue, agent, "mcp")
                .observe(duration, exemplar: exemplar)
            m.countVerticalUsage(exemplar: exemplar, .general, outcome)
        }
    }
}
