import AgentTelemetry
import AgentTelemetryTesting
import Testing
import TokenBudget

/// The example's subscriber tested as a user would: with the test kit, no sleeps.
struct TokenBudgetGuardTests {
    static func request(_ session: String, input: Int, output: Int) -> ProviderRequest {
        ProviderRequest(provider: .anthropic, model: "claude-sonnet-4", outcome: .success, latency: .seconds(1),
                        inputTokens: input, outputTokens: output, sessionID: session)
    }

    @Test func alertsOnceWhenASessionPassesItsBudget() async throws {
        try await withTestTelemetry { t in
            let guardian = try TokenBudgetGuard(budget: 1_000, telemetry: t.telemetry)
            t.telemetry.subscribe(guardian, filter: .only([ProviderRequest.self, SessionEnded.self]))
            for _ in 0..<3 { t.emit(Self.request("s1", input: 400, output: 100)) }
            t.emit(Self.request("s2", input: 150, output: 50))
            await t.settle()   // the guard has handled every request (and emitted its alert)
            await t.settle()   // the alert it emitted has been delivered too
            let alerts = t.events(TokenBudgetExceeded.self)
            #expect(alerts.map(\.sessionID) == ["s1"])
            #expect(alerts.first?.tokensUsed == 1_500)
            #expect(t.counterValue("agent_token_budget_exceeded_total") == 1)
        }
    }

    @Test func anEndedSessionStartsFromZero() async throws {
        try await withTestTelemetry { t in
            let guardian = try TokenBudgetGuard(budget: 1_000, telemetry: t.telemetry)
            t.telemetry.subscribe(guardian, filter: .only([ProviderRequest.self, SessionEnded.self]))
            t.emit(Self.request("s1", input: 900, output: 0))
            t.emit(SessionEnded(sessionID: "s1", userID: "u1", duration: .seconds(60)))
            t.emit(Self.request("s1", input: 900, output: 0))
            await t.settle()
            await t.settle()
            #expect(t.events(TokenBudgetExceeded.self).isEmpty)
            #expect(t.counterValue("agent_token_budget_exceeded_total") == 0)
        }
    }
}
