import AgentTelemetry
import AgentTelemetryTesting
import Synchronization
import Testing

/// The test kit itself: deterministic delivery, recorded events, values, the manual clock,
/// exposition comparison — the things users build their tests on.
struct TestKitTests {
    /// Agent code as a user writes it: a tool call measured by `track`.
    static func searchTool(_ telemetry: Telemetry, clock: ManualClock, fail: Bool) async throws -> String {
        try await telemetry.track(tool: "search", vertical: .research) {
            clock.advance(by: .milliseconds(1500))
            if fail { throw CancellationError() }
            return "ok"
        }
    }

    @Test func settleReturnsAfterEverySubscriberHandledEverything() async throws {
        try await withTestTelemetry { t in
            let slowSeen = Counter()
            t.telemetry.subscribe(to: ToolExecuted.self) { _ in
                await Task.yield()
                slowSeen.add()
            }
            for i in 0..<1000 { t.emit(ToolExecuted(tool: "t\(i % 7)", outcome: .success, duration: .milliseconds(1))) }
            await t.settle()
            #expect(slowSeen.value == 1000)
            #expect(t.events(ToolExecuted.self).count == 1000)
            #expect(t.registry.sumOfSeries("agent_tool_executions_total") == 1000)
        }
    }

    @Test func trackedDurationsComeFromTheManualClock() async throws {
        try await withTestTelemetry { t in
            _ = try await Self.searchTool(t.telemetry, clock: t.clock, fail: false)
            _ = try? await Self.searchTool(t.telemetry, clock: t.clock, fail: true)
            await t.settle()
            let events = t.events(ToolExecuted.self)
            #expect(events.map(\.outcome) == [.success, .cancelled])
            #expect(events.map(\.duration) == [.milliseconds(1500), .milliseconds(1500)])
            let h = try #require(t.histogramValue("agent_tool_execution_duration_seconds", ["tool": "search", "vertical": "research"]))
            #expect(h.count == 2)
            #expect(h.sum == 3)
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "search", "vertical": "research", "outcome": "success"]) == 1)
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "search", "vertical": "research", "outcome": "missing"]) == nil)
        }
    }

    @Test func sessionIdleExpiryFollowsTheManualClock() async throws {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.standardMetrics.sessionIdleTimeout = .seconds(60)
        try await withTestTelemetry(configuration: c) { t in
            t.emit(SessionStarted(sessionID: "s1", userID: "u1"))
            await t.settle()
            #expect(t.gaugeValue("agent_active_sessions") == 1)
            t.clock.advance(by: .seconds(59))
            #expect(t.gaugeValue("agent_active_sessions") == 1)
            t.clock.advance(by: .seconds(2))
            #expect(t.gaugeValue("agent_active_sessions") == 0)
            #expect(t.counterValue("agent_sessions_expired_total") == 1)
        }
    }

    @Test func expositionComparisonPassesOnEqualTextAndExplainsADifference() throws {
        let registry = MetricRegistry()
        let calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.", labelNames: ["tool", "outcome"])
        calls.labels("search", "ok").increment(by: 2)
        calls.labels("fetch", "error").increment()
        let latency = try registry.histogram("agent_step_seconds", help: "Steps.", unit: .seconds, buckets: [0.5])
        latency.series.observe(0.25)
        // Series order, label order and number spelling do not matter.
        let same = registry.compareExposition("""
            # HELP agent_tool_calls_total Tool calls.
            # TYPE agent_tool_calls_total counter
            agent_tool_calls_total{outcome="error",tool="fetch"} 1.0
            agent_tool_calls_total{tool="search",outcome="ok"} 2
            # TYPE agent_step_seconds histogram
            agent_step_seconds_bucket{le="0.5"} 1
            agent_step_seconds_bucket{le="+Inf"} 1
            agent_step_seconds_sum 0.25
            agent_step_seconds_count 1
            """)
        #expect(same.matches, "\(same)")
        let different = registry.compareExposition("""
            # TYPE agent_tool_calls_total counter
            agent_tool_calls_total{outcome="ok",tool="search"} 3
            """, metrics: ["agent_tool_calls_total", "agent_missing_total"])
        #expect(!different.matches)
        #expect(different.diff.contains("- agent_tool_calls_total{outcome=\"ok\",tool=\"search\"} 3"))
        #expect(different.diff.contains("+ agent_tool_calls_total{outcome=\"ok\",tool=\"search\"} 2"))
        #expect(different.diff.contains("+ agent_tool_calls_total{outcome=\"error\",tool=\"fetch\"} 1"))
        #expect(different.diff.contains("family agent_missing_total: not in the expected text") == false)
        // OpenMetrics: the family name has no _total, _created samples are ignored unless expected.
        let om = registry.compareExposition("""
            # TYPE agent_tool_calls counter
            agent_tool_calls_total{outcome="ok",tool="search"} 2
            agent_tool_calls_total{outcome="error",tool="fetch"} 1
            """, format: .openMetrics)
        #expect(om.matches, "\(om)")
    }

    @Test func hostileLabelValuesCompareAfterEscaping() throws {
        let registry = MetricRegistry()
        let c = try registry.counter("x_total", help: "h", labelNames: ["v"])
        c.labels("quote \" back \\ new\nline").increment()
        let r = registry.compareExposition(#"""
            x_total{v="quote \" back \\ new\nline"} 1
            """#)
        #expect(r.matches, "\(r)")
        #expect(registry.exposition(of: ["x_total"]).contains(#"x_total{v="quote \" back \\ new\nline"} 1"#))
    }

    @Test(arguments: 0..<8)
    func parallelTestTelemetriesShareNothing(_ index: Int) async throws {
        try await withTestTelemetry { t in
            for _ in 0..<(index + 1) { t.emit(ToolExecuted(tool: "parallel", outcome: .success, duration: .zero)) }
            await t.settle()
            #expect(t.events(ToolExecuted.self).count == index + 1)
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "parallel", "vertical": "general", "outcome": "success"]) == Double(index + 1))
        }
    }

    @Test func periodicWorkRunsWhenTheManualClockSaysSo() async throws {
        let clock = ManualClock()
        let ticks = Counter()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await PeriodicRunner(interval: .seconds(15), clock: clock.telemetryClock.swiftClock).run(tick: { ticks.add() }, final: {})
            }
            await clock.waitForSleepers()
            #expect(ticks.value == 0)
            clock.advance(by: .seconds(14))
            #expect(ticks.value == 0, "nothing runs before the interval")
            for expected in 1...3 {
                clock.advance(by: .seconds(expected == 1 ? 1 : 15))
                // The loop sleeps again once its tick has run.
                await clock.waitForSleepers()
                #expect(ticks.value == expected)
            }
            group.cancelAll()
        }
    }
}

/// A counter shared with a subscriber closure.
final class Counter: Sendable {
    private let count = Mutex<Int>(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The agent function of docs/TESTING.md, tested as the guide shows.
struct TestingGuideExample {
    struct SearchTimedOut: ErrorTypeProviding {
        var telemetryErrorType: ErrorType { .timeout }
    }

    static func search(_ query: String, telemetry: Telemetry,
                       backend: () async throws -> [String]) async throws -> [String] {
        try await telemetry.track(tool: "search", vertical: .research) { try await backend() }
    }

    @Test func aTimeoutIsCountedAsTimeoutWithTheTimeItTook() async throws {
        try await withTestTelemetry { t in
            _ = try? await Self.search("swift", telemetry: t.telemetry) {
                t.clock.advance(by: .seconds(30))
                throw SearchTimedOut()
            }
            await t.settle()
            #expect(t.events(ToolExecuted.self).map(\.outcome) == [.timeout])
            #expect(t.counterValue("agent_tool_executions_total",
                                   ["tool": "search", "vertical": "research", "outcome": "timeout"]) == 1)
            #expect(t.histogramValue("agent_tool_execution_duration_seconds",
                                     ["tool": "search", "vertical": "research"])?.sum == 30)
        }
    }
}

/// `track` from actor-isolated code: the closure runs on the caller's actor and may touch its state.
actor ToolRunner {
    var calls = 0
    func run(_ telemetry: Telemetry) async -> Int {
        await telemetry.track(tool: "actor_tool") {
            calls += 1
            return calls
        }
    }
}

@MainActor
struct MainActorTrackTests {
    var state = 0

    @Test mutating func trackRunsOnTheCallersActor() async throws {
        try await withTestTelemetry { t in
            let runner = ToolRunner()
            #expect(await runner.run(t.telemetry) == 1)
            let value = await t.telemetry.track(agent: "planner") {
                state += 1  // main-actor state, touched without a hop
                return state
            }
            #expect(value == 1)
            await t.settle()
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "actor_tool", "vertical": "general", "outcome": "success"]) == 1)
            #expect(t.counterValue("agent_invocations_total", ["agent": "planner", "outcome": "success"]) == 1)
        }
    }
}

/// A test whose body never suspends still ends cleanly: the pipeline's run task may not have
/// started when the body returns (found by a test that only read a gauge).
@Test func aBodyThatNeverSuspendsEndsCleanly() async throws {
    for _ in 0..<50 {
        let value = try await withTestTelemetry { t in
            t.emit(ToolExecuted(tool: "x", outcome: .success, duration: .milliseconds(1)))
            return 7
        }
        #expect(value == 7)
    }
}
