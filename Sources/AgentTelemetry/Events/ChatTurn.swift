/// One conversational turn (user message in, agent answer out) finished.
public struct ChatTurn: TelemetryEvent {
    public static let eventName = "chat_turn"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When the turn finished.
    public var timestamp: EventTimestamp
    /// How long the turn took end to end.
    public var duration: Duration
    /// How it ended.
    public var outcome: Outcome
    /// The session, when known (counts toward requests per session).
    public var sessionID: String?

    /// Creates the event.
    public init(duration: Duration, outcome: Outcome = .success, sessionID: String? = nil, timestamp: EventTimestamp = .now) {
        self.duration = duration
        self.outcome = outcome
        self.sessionID = sessionID
        self.timestamp = timestamp
    }
}
