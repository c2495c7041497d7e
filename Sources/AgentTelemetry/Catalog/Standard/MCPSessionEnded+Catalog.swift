extension MCPSessionEnded: StandardEvent {
    static let sessionLabels = ["error.type", "network.transport", "mcp.protocol.version"]
    static let sessionGuidance = [
        "error.type": "bounded: transport_error when the connection broke; absent otherwise",
        "network.transport": "bounded: pipe (stdio), tcp (HTTP); absent in process",
        "mcp.protocol.version": "bounded: the negotiated protocol version",
    ]

    /// `mcp_client_session_duration_seconds` (OpenTelemetry `mcp.client.session.duration`).
    public static let clientDuration = sessionDuration(.client)
    /// `mcp_server_session_duration_seconds` (OpenTelemetry `mcp.server.session.duration`).
    public static let serverDuration = sessionDuration(.server)

    /// The conventions' `mcp.<side>.session.duration` histogram.
    static func sessionDuration(_ side: MCPSide) -> MetricDescriptor {
        MetricDescriptor(
            "mcp_\(side.rawValue)_session_duration_seconds", .histogram,
            help: "MCP sessions as the \(side.rawValue) saw them, from connecting to closing (OpenTelemetry mcp.\(side.rawValue).session.duration).",
            unit: .seconds, labels: sessionLabels, buckets: MCPOperation.durationBuckets, category: .functional,
            namespaced: false, otlpName: "mcp.\(side.rawValue).session.duration", labelGuidance: sessionGuidance)
    }

    public static var metrics: [MetricDescriptor] { [clientDuration, serverDuration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        let descriptor = side == .client ? Self.clientDuration : Self.serverDuration
        m.histogram(descriptor)?.labels(errorType ?? "", networkTransport ?? "", protocolVersion ?? "")
            .observe(duration, exemplar: exemplar)
        m.gauge(MCPSessionStarted.active)?.labels(side.rawValue, networkTransport ?? "").decrement()
    }
}
