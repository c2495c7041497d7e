/// A Model Context Protocol connection closed; pairs with an earlier ``MCPSessionStarted``.
public struct MCPSessionEnded: TelemetryEvent {
    public static let eventName = "mcp_session_ended"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it closed.
    public var timestamp: EventTimestamp
    /// Which side it was observed on.
    public var side: MCPSide
    /// From the connection to its end.
    public var duration: Duration
    /// The transport underneath (`network.transport`), nil in process.
    public var networkTransport: String?
    /// The protocol version `initialize` negotiated (`mcp.protocol.version`), when it got that far.
    public var protocolVersion: String?
    /// Why it ended, when it failed (`transport_error` when the connection broke): `error.type`.
    public var errorType: String?

    /// Creates the event.
    public init(side: MCPSide, duration: Duration, networkTransport: String? = nil, protocolVersion: String? = nil,
                errorType: String? = nil, timestamp: EventTimestamp = .now) {
        self.side = side
        self.duration = duration
        self.networkTransport = networkTransport
        self.protocolVersion = protocolVersion
        self.errorType = errorType
        self.timestamp = timestamp
    }
}
