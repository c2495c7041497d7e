import Logging
import ServiceLifecycle
import Synchronization
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing
@testable import AgentTelemetry

@Suite("Telemetry as a Service")
struct LifecycleTests {
    static func plain(_ bus: EventBusConfiguration = .init()) throws -> Telemetry {
        try Telemetry(configuration: .init(bus: bus, enableStandardMetrics: false, sampleProcess: false))
    }

    @Test("init starts nothing: events wait in the buffer until run() delivers them")
    func eventsBeforeRunAreDeliveredByRun() async throws {
        let telemetry = try Self.plain()
        let r = Recorder()
        telemetry.subscribe(r)
        for i in 0..<100 { telemetry.emit(Numbered(producer: 0, sequence: i)) }
        #expect(telemetry.statistics.dispatched == 0, "nothing is dispatched before run()")
        #expect(telemetry.statistics.depth == 100)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await telemetry.run() }
            await telemetry.flush()
            #expect(r.received.withLock { $0.map(\.sequence) } == Array(0..<100))
            await telemetry.shutdown()
        }
    }

    @Test("in a ServiceGroup, graceful shutdown drains every accepted event before run() returns")
    func gracefulShutdownInAServiceGroupDrains() async throws {
        let telemetry = try Self.plain()
        let handled = Atomic<Int>(0)
        telemetry.subscribe(ClosureSubscriber(name: "slowish") { _ in
            await Task.yield()
            handled.wrappingAdd(1, ordering: .relaxed)
        })
        let group = ServiceGroup(services: [telemetry], logger: Logger(label: "test"))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            for i in 0..<20_000 { telemetry.emit(Numbered(producer: 0, sequence: i)) }
            await group.triggerGracefulShutdown()
        }
        #expect(handled.load(ordering: .relaxed) == 20_000)
        #expect(telemetry.statistics.dropped == 0)
        telemetry.emit(Numbered(producer: 0, sequence: -1))
        #expect(telemetry.registry.snapshot().value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "shutdown"]) == 1,
                "after the stop, events are refused and counted as shutdown drops")
    }

    @Test("cancelling run() is a hard stop: queued events are dropped and counted as cancelled")
    func cancellationIsAHardStop() async throws {
        let telemetry = try Self.plain(.init(capacity: 100_000, subscriberCapacity: 100_000))
        let gate = Gate()
        let handled = Atomic<Int>(0)
        telemetry.subscribe(ClosureSubscriber(name: "blocked") { _ in
            await gate.wait()
            handled.wrappingAdd(1, ordering: .relaxed)
        })
        // One event reaches the subscriber, which blocks on it; 999 more queue up behind it.
        telemetry.emit(Numbered(producer: 0, sequence: 0))
        let running = Task { try await telemetry.run() }
        #expect(await eventually { telemetry.statistics.dispatched == 1 })
        for i in 1..<1_000 { telemetry.emit(Numbered(producer: 0, sequence: i)) }
        #expect(await eventually { telemetry.statistics.dispatched == 1_000 })
        running.cancel()
        gate.open()
        try await running.value
        let dropped = telemetry.registry.snapshot().value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "cancelled"]) ?? 0
        #expect(Double(handled.load(ordering: .relaxed)) + dropped == 1_000, "delivered or counted as cancelled, never lost silently")
        #expect(dropped == 999, "the queued events are dropped, not delivered after the stop")
    }

    @Test("run() runs once: a second call throws alreadyRunning")
    func runOnce() async throws {
        let telemetry = try Self.plain()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await telemetry.run() }
            await telemetry.flush()
            await #expect(throws: TelemetryLifecycleError.alreadyRunning) { try await telemetry.run() }
            await telemetry.shutdown()
        }
        await #expect(throws: TelemetryLifecycleError.alreadyRunning) { try await telemetry.run() }
    }

    @Test("shutdown() without run() delivers everything in the caller's task")
    func shutdownWithoutRunDrainsInline() async throws {
        let telemetry = try Self.plain()
        let r = Recorder()
        telemetry.subscribe(r)
        for i in 0..<500 { telemetry.emit(Numbered(producer: 0, sequence: i)) }
        await telemetry.shutdown()
        #expect(r.count.load(ordering: .relaxed) == 500)
    }

    @Test("a subscriber added while running gets its own task; one added after the stop gets nothing")
    func subscribeWhileRunningAndAfterStop() async throws {
        let telemetry = try Self.plain()
        let early = Recorder(name: "early"), late = Recorder(name: "late"), afterStop = Recorder(name: "after")
        telemetry.subscribe(early)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await telemetry.run() }
            telemetry.emit(Numbered(producer: 0, sequence: 0))
            await telemetry.flush()
            telemetry.subscribe(late)
            telemetry.emit(Numbered(producer: 0, sequence: 1))
            await telemetry.flush()
            await telemetry.shutdown()
        }
        telemetry.subscribe(afterStop)
        telemetry.emit(Numbered(producer: 0, sequence: 2))
        #expect(early.count.load(ordering: .relaxed) == 2)
        #expect(late.received.withLock { $0.map(\.sequence) } == [1])
        #expect(afterStop.count.load(ordering: .relaxed) == 0)
    }
}
