/// An agent invocation finished: one run of an agent (a planner, a sub-agent) on a task, the
/// OpenTelemetry GenAI `invoke_agent` operation.
public struct AgentInvoked: TelemetryEvent {
    public static let eventName = "agent_invoked"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it finished.
    public var timestamp: EventTimestamp
    /// The agent's name (`gen_ai.agent.name`; bounded by the cardinality limit).
    public var agent: String
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var duration: Duration
    /// Why it failed (`error.type`), when it did.
    public var errorType: ErrorType?
    /// The session it served, when known (never a label).
    public var sessionID: String?

    /// Creates the event.
    public init(agent: String, outcome: Outcome, duration: Duration, errorType: ErrorType? = nil,
                sessionID: String? = nil, timestamp: EventTimestamp = .now) {
        self.agent = agent
        self.outcome = outcome
        self.duration = duration
        self.errorType = errorType
        self.sessionID = sessionID
        self.timestamp = timestamp
    }
}
