// CustomSubscriber: an agent that stays within a per-session token budget — it asks the
// library before each call, a subscriber of its own acts on the budget event, and a JSON Lines
// audit log records it.
//
//   swift run CustomSubscriber
import AgentTelemetry
import Foundation
import TokenBudget

var configuration = TelemetryConfiguration()
configuration.budgets = [Budget(name: "session_tokens", scope: .session, tokens: 5_000)]
let telemetry = try Telemetry(configuration: configuration)
let enforcer = BudgetEnforcer()
telemetry.subscribe(enforcer, filter: .only(BudgetExceeded.self))
telemetry.subscribe(JSONLinesAuditLog(handle: .standardOutput), filter: .only(BudgetExceeded.self))

// A script has no ServiceGroup: run the telemetry in a child task for as long as the work lasts.
try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await telemetry.run() }

    telemetry.emit(SessionStarted(sessionID: "s-42", userID: "bob"))
    enforcer.guardSession("s-42") { event in
        print("enforcer: session \(event.subject) reached \(Int(event.limit)) tokens; cancelling its work")
    }
    var turn = 0
    // The agent's loop: ask before each call (synchronous, no allocation), stop when over.
    while !telemetry.budget(session: "s-42").isOver {
        turn += 1
        telemetry.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .milliseconds(900),
                                       inputTokens: 800 * turn, outputTokens: 200, sessionID: "s-42"))
    }
    let status = telemetry.budget(session: "s-42")
    print("stopped after \(turn) calls: \(status.spentTokens) of \(status.limitTokens ?? 0) tokens")
    await telemetry.shutdown()   // drains the bus (the enforcer and the audit log see the event); run() returns
}
