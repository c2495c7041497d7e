import AgentTelemetry
import Synchronization

/// A subscriber built on the library's budgets: an agent registers what to do when one of its
/// sessions reaches a session budget (cancel the session's task, close its stream), and the
/// enforcer does it when the pipeline's ``BudgetExceeded`` event arrives — for work that does not
/// ask `telemetry.budget(session:)` between steps, such as a long streamed answer.
///
/// The spending, the limits and the once-only event are the library's (`budgets:` in the
/// configuration); this type only maps sessions to actions, and forgets a session when its
/// action ran or it was released.
public final class BudgetEnforcer: TelemetrySubscriber {
    public let name = "budget_enforcer"
    private let actions = Mutex<[String: @Sendable (BudgetExceeded) -> Void]>([:])

    /// Creates an enforcer; subscribe it with `filter: .only(BudgetExceeded.self)`.
    public init() {}

    /// Runs `action` once when `session` reaches a session budget.
    public func guardSession(_ session: String, _ action: @escaping @Sendable (BudgetExceeded) -> Void) {
        actions.withLock { $0[session] = action }
    }

    /// Forgets `session` (it ended within its budget).
    public func release(_ session: String) {
        actions.withLock { _ = $0.removeValue(forKey: session) }
    }

    /// Sessions still guarded.
    public var guardedSessions: Int { actions.withLock { $0.count } }

    public func handle(_ event: any TelemetryEvent) async throws {
        guard let exceeded = event as? BudgetExceeded, exceeded.scope == .session else { return }
        let action = actions.withLock { $0.removeValue(forKey: exceeded.subject) }
        action?(exceeded)
    }
}
