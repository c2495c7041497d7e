/// A user session ended.
public struct SessionEnded: TelemetryEvent {
    public static let eventName = "session_ended"
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
