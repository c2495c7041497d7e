/// A user session began.
public struct SessionStarted: TelemetryEvent {
    public static let eventName = "session_started"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it began.
    public var timestamp: EventTimestamp
    /// Session id (never a label; used to pair with `SessionEnded`).
    public var sessionID: String
    /// User id (never a label; counted into active users).
    public var userID: String

    /// Creates the event.
    public init(sessionID: String, userID: String, timestamp: EventTimestamp = .now) {
        self.sessionID = sessionID
        self.userID = userID
        self.timestamp = timestamp
    }
}
