extension MCPSessionStarted: StandardEvent {
    /// `mcp_sessions_active{side,network_transport}`.
    public static let active = MetricDescriptor(
        "mcp_sessions_active", .gauge, help: "MCP connections open now, by the side that observes them.",
        unit: .annotation("session"), labels: ["side", "network.transport"], category: .functional,
        labelGuidance: ["side": "bounded: client, server", "network.transport": "bounded: pipe, tcp; absent in process"])

    public static var metrics: [MetricDescriptor] { [active] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.gauge(Self.active)?.labels(side.rawValue, networkTransport ?? "").increment()
    }
}
