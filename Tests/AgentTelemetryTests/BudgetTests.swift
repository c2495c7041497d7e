@testable import AgentTelemetry
import AgentTelemetryTesting
import Testing

/// Budgets as an agent uses them: ask before each call, stop when over, be told once.
struct BudgetTests {
    /// $2.50 per million input tokens and $10 per million output tokens (set here, so the
    /// expected spend below is worked out by hand, not read back from the code).
    static func configuration(_ budgets: [Budget]) -> TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.standardMetrics.priceOverrides = ["gpt-4o": ModelRates(input: 2.50, output: 10.00)]
        c.budgets = budgets
        return c
    }

    /// 2,000 input tokens ($0.005) and 500 output tokens ($0.005): one cent.
    static func centCall(session: String? = "s1", agent: String? = "researcher", model: String = "gpt-4o") -> ProviderRequest {
        ProviderRequest(provider: .openAI, model: model, outcome: .success, latency: .seconds(1),
                        inputTokens: 2000, outputTokens: 500, sessionID: session, agentName: agent, toolName: nil)
    }

    @Test("a $0.10 session budget is reached by the tenth one-cent call, reported once, and the answer includes the call just emitted")
    func sessionBudgetReachedOnTheExpectedCall() async throws {
        let config = Self.configuration([Budget(name: "session_cap", scope: .session, usd: 0.10)])
        try await withTestTelemetry(configuration: config) { t in
            var reachedAt: Int?
            for call in 1...12 {
                #expect(t.telemetry.budget(session: "s1").isOver == (reachedAt != nil), "before call \(call)")
                t.emit(Self.centCall())
                let status = t.telemetry.budget(session: "s1")
                if status.isOver && reachedAt == nil { reachedAt = call }
                if call == 9 {
                    #expect(abs(status.spentUSD - 0.09) < 1e-9)
                    #expect(abs((status.remainingUSD ?? -1) - 0.01) < 1e-9)
                    #expect(status.limitUSD == 0.10)
                }
            }
            // Ten cents in binary floating point add up to 0.09999999999999999: counted exactly, the tenth call reaches $0.10.
            #expect(reachedAt == 10)
            #expect(t.telemetry.budget(session: "s1").remainingUSD == 0)
            #expect(t.telemetry.budget(session: "other").spentUSD == 0)
            #expect(t.telemetry.budget(session: "other").isOver == false)
            await t.settle()
            let events = t.events(BudgetExceeded.self)
            #expect(events.count == 1, "once per session and limit: \(events)")
            let e = try #require(events.first)
            #expect(e.budget == "session_cap" && e.scope == .session && e.subject == "s1" && e.unit == .usd)
            #expect(abs(e.spent - 0.10) < 1e-9 && e.limit == 0.10 && e.window == nil)
            #expect(t.counterValue("agent_budget_exceeded_total", ["budget": "session_cap", "scope": "session", "unit": "usd"]) == 1)
            #expect(t.gaugeValue("agent_budget_limit", ["budget": "session_cap", "scope": "session", "unit": "usd"]) == 0.10)
            let utilization = try #require(t.gaugeValue("agent_budget_utilization_max_ratio", ["budget": "session_cap", "scope": "session", "unit": "usd"]))
            #expect(abs(utilization - 1.2) < 1e-9, "12 cents of 10")
            // The event follows the request that crossed the limit on the bus.
            let names = t.allEvents.map { type(of: $0).eventName }
            let crossing = try #require(names.firstIndex(of: BudgetExceeded.eventName))
            #expect(names[..<crossing].filter { $0 == ProviderRequest.eventName }.count == 10)
        }
    }

    @Test("a rolling token budget of an agent is reported again only after its window's spend fell below the limit")
    func rollingAgentTokenBudget() async throws {
        let clock = ManualClock()
        let config = Self.configuration([Budget(name: "researcher_hourly", scope: .agent, match: "research*", tokens: 6000, window: .rolling(.seconds(3600)))])
        try await withTestTelemetry(configuration: config, clock: clock) { t in
            t.emit(Self.centCall())            // 2,500 tokens at 0 s
            clock.advance(by: .seconds(1800))
            t.emit(Self.centCall())            // 5,000
            #expect(t.telemetry.budget(agent: "researcher").isOver == false)
            #expect(t.telemetry.budget(agent: "researcher").remainingTokens == 1000)
            t.emit(Self.centCall())            // 7,500: reached
            #expect(t.telemetry.budget(agent: "researcher").isOver)
            t.emit(Self.centCall())            // 10,000: still over, not reported again in this window
            t.emit(Self.centCall(agent: "writer"))
            #expect(t.telemetry.budget(agent: "writer") == .unlimited, "the glob does not match writer")
            // The first call leaves the window an hour after it was made; the rest is still over.
            clock.advance(by: .seconds(1830))
            let later = t.telemetry.budget(agent: "researcher")
            #expect(later.spentTokens == 7500 && later.isOver, "\(later)")
            // Once the calls made at 1,800 s have left too, the window is empty: reported again on the next crossing.
            clock.advance(by: .seconds(1800))
            #expect(t.telemetry.budget(agent: "researcher").spentTokens == 0)
            for _ in 0..<3 { t.emit(Self.centCall()) }
            clock.advance(by: .seconds(7200))
            #expect(t.telemetry.budget(agent: "researcher").spentTokens == 0)
            await t.settle()
            let events = t.events(BudgetExceeded.self)
            #expect(events.map(\.subject) == ["researcher", "researcher"])
            #expect(events.allSatisfy { $0.unit == .tokens && $0.limit == 6000 && $0.window == .seconds(3600) })
            #expect(t.gaugeValue("agent_budget_spent", ["budget": "researcher_hourly", "scope": "agent", "unit": "tokens", "subject": "researcher"]) == 0)
        }
    }

    @Test("model budgets cover the models their glob matches, each separately; unpriced or unmatched models cost nothing there")
    func modelBudgets() async throws {
        let config = Self.configuration([Budget(name: "gpt4o_daily", scope: .model, match: "gpt-4o*", usd: 0.05, tokens: 1_000_000, window: .rolling(.seconds(86_400)))])
        try await withTestTelemetry(configuration: config) { t in
            for _ in 0..<3 { t.emit(Self.centCall(model: "gpt-4o")) }
            t.emit(Self.centCall(model: "gpt-4o-mini"))  // matched, but unpriced in this table: tokens only
            t.emit(Self.centCall(model: "claude-sonnet"))
            let gpt = t.telemetry.budget(model: "gpt-4o")
            #expect(abs(gpt.spentUSD - 0.03) < 1e-9 && gpt.spentTokens == 7500 && !gpt.isOver)
            let mini = t.telemetry.budget(model: "gpt-4o-mini")
            #expect(mini.spentUSD == 0 && mini.spentTokens == 2500)
            #expect(t.telemetry.budget(model: "claude-sonnet") == .unlimited)
            await t.settle()
            let spent = try #require(t.gaugeValue("agent_budget_spent", ["budget": "gpt4o_daily", "scope": "model", "unit": "usd", "subject": "gpt-4o"]))
            #expect(abs(spent - 0.03) < 1e-9)
        }
    }

    @Test("an ended session's spend is forgotten, and the meters of a budget stay bounded by the session limit")
    func sessionsAreForgottenAndBounded() async throws {
        var config = Self.configuration([Budget(name: "session_cap", scope: .session, usd: 1)])
        config.standardMetrics.sessionLimit = 100
        try await withTestTelemetry(configuration: config) { t in
            t.emit(Self.centCall(session: "s1"))
            #expect(t.telemetry.budget(session: "s1").spentUSD > 0)
            t.emit(SessionEnded(sessionID: "s1", userID: "u", duration: .seconds(5)))
            #expect(t.telemetry.budget(session: "s1").spentUSD == 0)
            let ledger = try #require(t.telemetry.budgetLedger)
            for i in 0..<10_000 { t.emit(Self.centCall(session: "s\(i)")) }
            #expect(ledger.readings(0).count <= 100)
            // The most recent sessions are kept.
            #expect(t.telemetry.budget(session: "s9999").spentUSD > 0)
        }
    }

    @Test("without budgets every answer is unlimited and emitting charges nothing")
    func noBudgets() async throws {
        try await withTestTelemetry { t in
            t.emit(Self.centCall())
            #expect(t.telemetry.budget(session: "s1") == .unlimited)
            #expect(t.telemetry.budgetLedger == nil)
        }
    }

    @Test("invalid budgets are refused with their paths")
    func validation() {
        let issues = Budget.validate([
            Budget(name: "a", scope: .session, usd: -1),
            Budget(name: "a", scope: .session, match: "gpt*", tokens: 0),
            Budget(name: "bad name", scope: .agent),
            Budget(name: "w", scope: .model, usd: 1, window: .rolling(.zero)),
        ]).map(\.description)
        #expect(issues.contains { $0.contains("budgets[0].usd") && $0.contains("positive") }, "\(issues)")
        #expect(issues.contains { $0.contains("budgets[1].tokens") }, "\(issues)")
        #expect(issues.contains { $0.contains("budgets[1].match") }, "\(issues)")
        #expect(issues.contains { $0.contains("budgets[1].name") && $0.contains("earlier budget") }, "\(issues)")
        #expect(issues.contains { $0.contains("budgets[2].name") }, "\(issues)")
        #expect(issues.contains { $0.contains("budgets[2]") && $0.contains("no limit") }, "\(issues)")
        #expect(issues.contains { $0.contains("budgets[3].window") }, "\(issues)")
        #expect(issues.count == 7, "\(issues)")
    }
}
