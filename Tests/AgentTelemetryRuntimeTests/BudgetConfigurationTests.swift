import AgentTelemetry
import AgentTelemetryTesting
import Foundation
import Testing
@testable import AgentTelemetryRuntime

/// `budgets:` in the file: read, checked by check-config, and playing against the demo's own
/// traffic and price table.
@Suite("Budgets in the configuration file")
struct BudgetConfigurationTests {
    static func problems(_ yaml: String) -> [String] { ConfigurationLimitsTests.problems(yaml) }

    @Test("budgets are read with their scopes, limits and windows")
    func read() throws {
        let c = try ConfigurationLoader.load(yaml: """
            budgets:
              - {name: session_cap, scope: session, usd: 2}
              - {name: researcher_hourly, scope: agent, match: researcher, tokens: 500000, window: 1h}
              - {name: gpt4o_daily, scope: model, match: "gpt-4o*", usd: 50, window: 24h}
            """, source: "agent.yaml", environment: [:])
        #expect(c.telemetry.budgets == [
            Budget(name: "session_cap", scope: .session, usd: 2),
            Budget(name: "researcher_hourly", scope: .agent, match: "researcher", tokens: 500_000, window: .rolling(.seconds(3600))),
            Budget(name: "gpt4o_daily", scope: .model, match: "gpt-4o*", usd: 50, window: .rolling(.seconds(86_400))),
        ])
    }

    @Test("check-config refuses an unknown scope, a negative or missing limit and a USD budget of unpriced models, each with its line", arguments: [
        ("budgets:\n  - {name: a, scope: sesion, usd: 1}", "budgets[0].scope: \"sesion\" is not one of session, agent, model (agent.yaml:2)"),
        ("budgets:\n  - {name: a, scope: session, usd: -0.5}", "budgets[0].usd: -0.5 is not a limit: it must be a positive number of US dollars (agent.yaml:2)"),
        ("budgets:\n  - {name: a, scope: agent}", "budgets[0]: gives no limit: set usd, tokens or both (agent.yaml:2)"),
        ("budgets:\n  - {name: a, scope: model, match: \"llama-local*\", usd: 5}", "budgets[0].usd: no model matching \"llama-local*\" has a price"),
        ("budgets:\n  - {name: a, scope: session, usd: 1, window: 0s}", "budgets[0].window: 0s is out of range"),
        ("budgets:\n  - {name: a, scope: session, usd: 1, windw: 1h}", "budgets[0].windw: unknown key \"windw\"; did you mean \"window\"?"),
    ])
    func refused(yaml: String, expected: String) {
        let found = Self.problems(yaml)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test("a model budget on a priced model, and a token budget on an unpriced one, are accepted")
    func accepted() {
        #expect(Self.problems("budgets:\n  - {name: a, scope: model, match: \"gpt-4o*\", usd: 5}\n  - {name: b, scope: model, match: \"llama-local*\", tokens: 5000}") == [])
    }

    @Test("on the demo's traffic and price table, a $0.10 session budget is reached on the call where the session's cost first reaches $0.10, once per session")
    func demoSessionBudget() async throws {
        let config = try ConfigurationLoader.load(yaml: "budgets:\n  - {name: demo_session, scope: session, usd: 0.10}\n",
                                                  source: "demo.yaml", environment: [:])
        let prices = config.telemetry.standardMetrics.effectivePrices
        #expect(prices == PriceTableFile.builtIn, "the demo's table")
        try await withTestTelemetry(configuration: config.telemetry) { t in
            var workload = DemoWorkload(seed: 7)
            // The expectation, worked out from the price table: per session, the number of its
            // call at which its cost first reaches $0.10 (a session that ends starts over).
            var cost: [String: Double] = [:], calls: [String: Int] = [:], reached: Set<String> = []
            var expected: [String] = []
            for request in 0..<6000 {
                for event in workload.nextRequest() {
                    if let r = event as? ProviderRequest, let s = r.sessionID {
                        calls[s, default: 0] += 1
                        let usd = (prices.cost(provider: r.provider.labelValue, model: r.model, tokens: r.tokens) ?? []).reduce(0) { $0 + $1.usd }
                        cost[s, default: 0] += usd
                        if cost[s, default: 0] >= 0.10 - 1e-12 && reached.insert(s).inserted { expected.append("\(s)#\(calls[s, default: 0])") }
                    } else if let e = event as? SessionEnded {
                        cost[e.sessionID] = nil
                        calls[e.sessionID] = nil
                        reached.remove(e.sessionID)
                    }
                    t.emit(event)
                    if let r = event as? ProviderRequest, let s = r.sessionID {
                        // The answer right after the call includes it.
                        #expect(t.telemetry.budget(session: s).isOver == reached.contains(s))
                    }
                }
                if request % 200 == 0 { await t.settle() }
            }
            await t.settle()
            // What happened, read from the recorded event stream: the session's call count when each event arrived.
            var seen: [String: Int] = [:]
            var actual: [String] = []
            for event in t.allEvents {
                if let r = event as? ProviderRequest, let s = r.sessionID { seen[s, default: 0] += 1 }
                if let e = event as? SessionEnded { seen[e.sessionID] = nil }
                if let e = event as? BudgetExceeded { actual.append("\(e.subject)#\(seen[e.subject, default: 0])") }
            }
            #expect(!expected.isEmpty, "the demo's sessions never reached $0.10: the test proves nothing")
            #expect(actual == expected)
            #expect(t.counterValue("agent_budget_exceeded_total", ["budget": "demo_session", "scope": "session", "unit": "usd"]) == Double(expected.count))
            print("demo traffic: \(expected.count) sessions reached the $0.10 budget, first at \(expected.first ?? "-")")
        }
    }

    @Test("the demo's session budget is far above what its normal sessions spend, and below what 40 times the tokens (token-cost-surge) make them spend")
    func demoBudgetSeparatesNormalFromSurge() throws {
        let prices = PriceTableFile.builtIn
        let limit = try #require(DemoWorkload.sessionBudget.usd)
        for factor in [1, 40] {
            var workload = DemoWorkload(seed: 42)
            var cost: [String: Double] = [:]
            var finished: [Double] = []
            for _ in 0..<100_000 {
                for event in workload.nextRequest() {
                    if let r = event as? ProviderRequest, let s = r.sessionID {
                        var tokens = r.tokens
                        tokens.input *= factor; tokens.output *= factor; tokens.cacheRead *= factor
                        cost[s, default: 0] += (prices.cost(provider: r.provider.labelValue, model: r.model, tokens: tokens) ?? []).reduce(0) { $0 + $1.usd }
                    } else if let e = event as? SessionEnded, let c = cost.removeValue(forKey: e.sessionID) {
                        finished.append(c)
                    }
                }
            }
            let all = (finished + cost.values).sorted()
            let highest = all.last ?? 0
            let over = all.filter { $0 >= limit }.count
            print("demo sessions at \(factor)x tokens: \(all.count), highest $\(highest), \(over) at or over $\(limit)")
            if factor == 1 {
                // No false positive in hours of normal running: the costliest session stays under a third of the limit.
                #expect(highest < limit / 3, "normal sessions reach \(highest) of \(limit)")
            } else {
                #expect(over >= 10, "a surge must take sessions past the limit within minutes")
            }
        }
    }
}
