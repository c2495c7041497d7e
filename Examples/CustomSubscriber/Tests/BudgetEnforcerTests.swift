import AgentTelemetry
import AgentTelemetryTesting
import Foundation
import Synchronization
import Testing
import TokenBudget

/// The example tested as a user would: with the test kit, no sleeps.
struct BudgetEnforcerTests {
    static func configuration(tokens: Int) -> TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.budgets = [Budget(name: "session_tokens", scope: .session, tokens: tokens)]
        return c
    }

    static func request(_ session: String, input: Int, output: Int) -> ProviderRequest {
        ProviderRequest(provider: .anthropic, model: "claude-sonnet-4", outcome: .success, latency: .seconds(1),
                        inputTokens: input, outputTokens: output, sessionID: session)
    }

    @Test("an agent that asks before each call stops on the call that reached its budget")
    func agentLoopStops() async throws {
        try await withTestTelemetry(configuration: Self.configuration(tokens: 5_000)) { t in
            var calls = 0
            while !t.telemetry.budget(session: "s1").isOver {
                calls += 1
                t.emit(Self.request("s1", input: 800 * calls, output: 200))
            }
            // 1,000 + 1,800 + 2,600 = 5,400 tokens: the third call reached 5,000.
            #expect(calls == 3)
            #expect(t.telemetry.budget(session: "s1").spentTokens == 5_400)
        }
    }

    @Test("the enforcer runs a session's action once, on that session's budget event only")
    func enforcerActsOnce() async throws {
        try await withTestTelemetry(configuration: Self.configuration(tokens: 1_000)) { t in
            let enforcer = BudgetEnforcer()
            t.telemetry.subscribe(enforcer, filter: .only(BudgetExceeded.self))
            let stopped = Stopped()
            enforcer.guardSession("s1") { stopped.add($0.subject) }
            enforcer.guardSession("s2") { stopped.add($0.subject) }
            for _ in 0..<3 { t.emit(Self.request("s1", input: 400, output: 100)) }
            t.emit(Self.request("s2", input: 150, output: 50))
            await t.settle()
            #expect(stopped.subjects == ["s1"])
            #expect(enforcer.guardedSessions == 1, "s1 was forgotten once its action ran")
            #expect(t.events(BudgetExceeded.self).count == 1)
        }
    }

    @Test("the audit log writes the budget event as one JSON object")
    func auditLine() async throws {
        let pipe = Pipe()
        try await withTestTelemetry(configuration: Self.configuration(tokens: 100)) { t in
            t.telemetry.subscribe(JSONLinesAuditLog(handle: pipe.fileHandleForWriting), filter: .only(BudgetExceeded.self))
            t.emit(Self.request("s9", input: 150, output: 0))
            await t.settle()
        }
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(object["event"] == "budget_exceeded" && object["subject"] == "s9" && object["unit"] == "tokens")
        #expect(object["budget"] == "session_tokens" && object["spent"] == "150.0" && object["limit"] == "100.0")
    }
}

final class Stopped: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ s: String) { list.withLock { $0.append(s) } }
    var subjects: [String] { list.withLock { $0 } }
}
