/// A configured ``Budget`` reached one of its limits: emitted by the pipeline itself when a
/// `ProviderRequest` brings a subject's spend to the limit, once per limit and window (a
/// session's budget once per session; a rolling budget again only after its window's spend
/// fell below the limit).
///
/// Subscribe to it to stop an agent, page someone or log it; the standard metrics count it in
/// `agent_budget_exceeded_total`.
public struct BudgetExceeded: TelemetryEvent {
    public static let eventName = "budget_exceeded"
    /// The trace of the request that crossed the limit.
    public var trace: TraceReference? = nil
    /// When the limit was crossed.
    public var timestamp: EventTimestamp
    /// The budget's name.
    public var budget: String
    /// What the budget counts per.
    public var scope: Budget.Scope
    /// The session ID, agent name or model that reached the limit.
    public var subject: String
    /// Which limit was reached.
    public var unit: Budget.Unit
    /// The limit (US dollars or tokens).
    public var limit: Double
    /// The spend in the window, including the request that crossed the limit.
    public var spent: Double
    /// The budget's rolling window, nil for a session's or the process's life.
    public var window: Duration?

    /// Creates the event.
    public init(budget: String, scope: Budget.Scope, subject: String, unit: Budget.Unit, limit: Double, spent: Double,
                window: Duration? = nil, timestamp: EventTimestamp = .now) {
        self.budget = budget
        self.scope = scope
        self.subject = subject
        self.unit = unit
        self.limit = limit
        self.spent = spent
        self.window = window
        self.timestamp = timestamp
    }
}
