/// An agent tool call finished.
public struct ToolExecuted: TelemetryEvent {
    public static let eventName = "tool_executed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When the call finished.
    public var timestamp: EventTimestamp
    /// Tool name (free-form, bounded by the cardinality limit).
    public var tool: String
    /// The vertical the work belongs to.
    public var vertical: Vertical
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var duration: Duration
    /// Why it failed, when it did.
    public var errorType: ErrorType?
    /// The session the call served, when known (never a label; counted in the session's usage).
    public var sessionID: String?
    /// The agent the tool ran for (`gen_ai.agent.name`): by default the one whose `track(agent:)`
    /// encloses the emitting task (see ``WorkContext``).
    public var agentName: String?

    /// Creates the event.
    public init(tool: String, vertical: Vertical = .general, outcome: Outcome, duration: Duration,
                errorType: ErrorType? = nil, sessionID: String? = nil,
                agentName: String? = WorkContext.current.agent, timestamp: EventTimestamp = .now) {
        self.sessionID = sessionID
        self.agentName = agentName
        self.tool = tool
        self.vertical = vertical
        self.outcome = outcome
        self.duration = duration
        self.errorType = errorType
        self.timestamp = timestamp
    }
}
