/// A user session ended.
public struct SessionEnded: TelemetryEvent {
    public static let eventName = "session_ended"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it ended.
    public var timestamp: EventTimestamp
    /// Session id, as in `SessionStarted`.
    public var sessionID: String
    /// User id.
    public var userID: String
    /// How long the session lasted.
    public var duration: Duration

    /// Creates the event.
    public init(sessionID: String, userID: String, duration: Duration, timestamp: EventTimestamp = .now) {
        self.sessionID = sessionID
        self.userID = userID
        self.duration = duration
        self.timestamp = timestamp
    }
}
