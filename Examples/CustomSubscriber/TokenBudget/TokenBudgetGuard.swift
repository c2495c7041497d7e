import AgentTelemetry
import Synchronization

/// Emitted once per session when its LLM token use passes the budget.
public struct TokenBudgetExceeded: TelemetryEvent {
    public static let eventName = "token_budget_exceeded"
    public var timestamp = EventTimestamp.now
    /// The session over budget.
    public var sessionID: String
    /// Tokens the session had used when it passed the budget.
    public var tokensUsed: Int
    /// The budget it passed.
    public var budget: Int

    /// Creates the event.
    public init(sessionID: String, tokensUsed: Int, budget: Int) {
        self.sessionID = sessionID
        self.tokensUsed = tokensUsed
        self.budget = budget
    }
}

/// A subscriber users actually write: adds up tokens per session from `ProviderRequest` events
/// and, when a session passes its budget, emits `TokenBudgetExceeded` and counts it in a metric
/// of its own. Sessions are forgotten when they end, so memory stays bounded.
public final class TokenBudgetGuard: TelemetrySubscriber {
    public let name = "token_budget_guard"
    /// Tokens a session may use.
    public let budget: Int
    private let telemetry: Telemetry
    private let exceeded: CounterFamily
    private let used = Mutex<[String: Int]>([:])

    /// Creates the guard and registers its counter in `telemetry`'s registry.
    public init(budget: Int, telemetry: Telemetry) throws {
        self.budget = budget
        self.telemetry = telemetry
        self.exceeded = try telemetry.registry.counter(
            "agent_token_budget_exceeded_total", help: "Sessions that used more LLM tokens than their budget.")
    }

    public func handle(_ event: any TelemetryEvent) async throws {
        switch event {
        case let request as ProviderRequest:
            guard let session = request.sessionID else { return }
            let tokens = request.inputTokens + request.outputTokens
            let (before, after) = used.withLock { table -> (Int, Int) in
                let old = table[session, default: 0]
                table[session] = old + tokens
                return (old, old + tokens)
            }
            if before <= budget && after > budget {
                exceeded.series.increment()
                telemetry.emit(TokenBudgetExceeded(sessionID: session, tokensUsed: after, budget: budget))
            }
        case let ended as SessionEnded:
            used.withLock { _ = $0.removeValue(forKey: ended.sessionID) }
        default:
            return
        }
    }
}
