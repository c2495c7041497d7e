/// A user session began.
public struct SessionStarted: TelemetryEvent {
    public static let eventName = "session_started"
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
