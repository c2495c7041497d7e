/// The agent's API handled an HTTP request.
public struct RequestHandled: TelemetryEvent {
    public static let eventName = "request_handled"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When the response was sent.
    public var timestamp: EventTimestamp
    /// The route template (`/v1/chat`), not the raw path with ids, to keep the label bounded.
    public var endpoint: String
    /// HTTP method.
    public var method: String
    /// HTTP status code.
    public var status: Int
    /// Time from request to response.
    public var duration: Duration
    /// The session, when known.
    public var sessionID: String?

    /// Creates the event.
    public init(endpoint: String, method: String = "GET", status: Int, duration: Duration,
                sessionID: String? = nil, timestamp: EventTimestamp = .now) {
        self.endpoint = endpoint
        self.method = method
        self.status = status
        self.duration = duration
        self.sessionID = sessionID
        self.timestamp = timestamp
    }
}
