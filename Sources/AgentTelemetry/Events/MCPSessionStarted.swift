/// A Model Context Protocol connection opened (the transport connected).
public struct MCPSessionStarted: TelemetryEvent {
    public static let eventName = "mcp_session_started"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it opened.
    public var timestamp: EventTimestamp
    /// Which side it was observed on.
    public var side: MCPSide
    /// The transport underneath (`network.transport`), nil in process.
    public var networkTransport: String?

    /// Creates the event.
    public init(side: MCPSide, networkTransport: String? = nil, timestamp: EventTimestamp = .now) {
        self.side = side
        self.networkTransport = networkTransport
        self.timestamp = timestamp
    }
}
