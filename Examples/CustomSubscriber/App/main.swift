// CustomSubscriber: a per-session token budget guard that raises its own alert event, and a
// JSON Lines audit log of those alerts.
//
//   swift run CustomSubscriber
import AgentTelemetry
import Foundation
import TokenBudget

let telemetry = try Telemetry()
let guardian = try TokenBudgetGuard(budget: 5_000, telemetry: telemetry)
telemetry.subscribe(guardian, filter: .only([ProviderRequest.self, SessionEnded.self]))
telemetry.subscribe(JSONLinesAuditLog(handle: .standardOutput), filter: .only(TokenBudgetExceeded.self))

// A script has no ServiceGroup: run the telemetry in a child task for as long as the work lasts.
try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await telemetry.run() }

    telemetry.emit(SessionStarted(sessionID: "s-42", userID: "bob"))
    for turn in 1...6 {
        telemetry.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .milliseconds(900),
                                       inputTokens: 800 * turn, outputTokens: 200, sessionID: "s-42"))
    }
    await telemetry.flush()   // the guard has seen every request and emitted its alert
    await telemetry.flush()   // the audit log has written the alert
    if case .counter(let sessions)? = telemetry.registry.snapshot().family(named: "agent_token_budget_exceeded_total")?.series.first?.value {
        print("sessions over budget: \(Int(sessions))")
    }
    await telemetry.shutdown()   // drains the bus; run() returns
}
