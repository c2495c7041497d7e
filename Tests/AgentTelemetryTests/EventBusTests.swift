import Synchronization
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing
@testable import AgentTelemetry

@Suite("Event bus")
struct EventBusTests {
    @Test("each subscriber sees one task's events in emit order")
    func orderingPerSubscriber() async {
        let bus = startedBus()
        let a = Recorder(name: "a"), b = Recorder(name: "b")
        bus.subscribe(a)
        bus.subscribe(b)
        for i in 0..<10_000 { bus.emit(Numbered(producer: 0, sequence: i)) }
        await bus.flush()
        for r in [a, b] {
            let seqs = r.received.withLock { $0.map(\.sequence) }
            #expect(seqs == Array(0..<10_000))
        }
        await bus.shutdown()
    }

    @Test("emit works from synchronous code and never throws")
    func emitFromSyncContext() async {
        let bus = startedBus()
        let r = Recorder()
        bus.subscribe(r)
        func syncCaller(_ bus: EventBus) { bus.emit(Numbered(producer: 0, sequence: 1)) }
        syncCaller(bus)
        await bus.flush()
        #expect(r.count.load(ordering: .relaxed) == 1)
        await bus.shutdown()
    }

    @Test("a slow subscriber does not slow the others, and its drops are counted")
    func slowSubscriberIsolation() async {
        let registry = MetricRegistry()
        let bus = startedBus(configuration: .init(capacity: 100_000, subscriberCapacity: 500), registry: registry)
        let gate = Gate()
        let fast = Recorder(name: "fast")
        let slowCount = Atomic<Int>(0)
        bus.subscribe(ClosureSubscriber(name: "slow") { _ in
            await gate.wait()
            slowCount.wrappingAdd(1, ordering: .relaxed)
        })
        bus.subscribe(fast)
        // The fast subscriber keeps up with every chunk while the slow one is blocked on its first event.
        for chunk in 0..<30 {
            for i in 0..<100 { bus.emit(Numbered(producer: 0, sequence: chunk * 100 + i)) }
            #expect(await eventually { fast.count.load(ordering: .relaxed) == (chunk + 1) * 100 })
        }
        #expect(slowCount.load(ordering: .relaxed) == 0)
        gate.open()
        await bus.flush()
        let slowGot = slowCount.load(ordering: .relaxed)
        let snap = registry.snapshot()
        let dropped = snap.value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "subscriber_mailbox_full"]) ?? 0
        #expect(fast.received.withLock { $0.map(\.sequence) } == Array(0..<3_000))
        // At most one batch in the worker's hands plus a full mailbox.
        #expect(slowGot > 0 && slowGot <= 1_001)
        #expect(Double(slowGot) + dropped == 3_000, "every event is either delivered to the slow subscriber or counted as dropped")
        await bus.shutdown()
    }

    @Test("a throwing subscriber is counted and keeps receiving later events")
    func throwingSubscriber() async {
        struct Boom: Error {}
        let registry = MetricRegistry()
        let bus = startedBus(registry: registry)
        let seen = Atomic<Int>(0)
        let other = Recorder()
        bus.subscribe(ClosureSubscriber(name: "flaky") { event in
            seen.wrappingAdd(1, ordering: .relaxed)
            if let n = event as? Numbered, n.sequence % 2 == 0 { throw Boom() }
        })
        bus.subscribe(other)
        for i in 0..<100 { bus.emit(Numbered(producer: 0, sequence: i)) }
        await bus.flush()
        #expect(seen.load(ordering: .relaxed) == 100)
        #expect(other.count.load(ordering: .relaxed) == 100)
        #expect(registry.snapshot().value("agent_telemetry_subscriber_errors_total", ["subscriber": "flaky"]) == 50)
        await bus.shutdown()
    }

    @Test("filters deliver only the subscribed types")
    func typeFilters() async {
        let bus = startedBus()
        let onlyNumbered = Recorder()
        let all = Recorder()
        bus.subscribe(onlyNumbered, filter: .only(Numbered.self))
        bus.subscribe(all)
        let typed = Atomic<Int>(0)
        bus.subscribe(to: Other.self, name: "typed") { _ in typed.wrappingAdd(1, ordering: .relaxed) }
        for i in 0..<10 { bus.emit(Numbered(producer: 0, sequence: i)); bus.emit(Other()) }
        await bus.flush()
        #expect(onlyNumbered.count.load(ordering: .relaxed) == 10)
        #expect(all.count.load(ordering: .relaxed) == 20)
        #expect(typed.load(ordering: .relaxed) == 10)
        await bus.shutdown()
    }

    @Test("a cancelled subscription receives no later events")
    func cancelSubscription() async {
        let bus = startedBus()
        let r = Recorder()
        let sub = bus.subscribe(r)
        bus.emit(Numbered(producer: 0, sequence: 0))
        await bus.flush()
        sub.cancel()
        bus.emit(Numbered(producer: 0, sequence: 1))
        await bus.flush()
        #expect(r.count.load(ordering: .relaxed) == 1)
        await bus.shutdown()
    }

    @Test("events of a cancelled subscription are not counted as drops of a slow subscriber")
    func cancelIsNotADrop() async {
        let registry = MetricRegistry()
        let bus = startedBus(registry: registry)
        let r = Recorder()
        let sub = bus.subscribe(r)
        sub.cancel()
        for i in 0..<100 { bus.emit(Numbered(producer: 0, sequence: i)) }
        await bus.flush()
        #expect(registry.snapshot().value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "subscriber_mailbox_full"]) == nil)
        #expect(bus.statistics.dropped == 0)
        await bus.shutdown()
    }

    @Test("flush during a shutdown waits until the drain has delivered everything")
    func flushDuringShutdown() async {
        let bus = startedBus()
        let handled = Atomic<Int>(0)
        bus.subscribe(ClosureSubscriber(name: "slow") { _ in
            try await Task.sleep(for: .microseconds(200))
            handled.wrappingAdd(1, ordering: .relaxed)
        })
        for i in 0..<500 { bus.emit(Numbered(producer: 0, sequence: i)) }
        let stopping = Task { await bus.shutdown() }
        while !bus.central.isClosed { await Task.yield() }
        await bus.flush()
        #expect(handled.load(ordering: .relaxed) == 500)
        await stopping.value
    }

    @Test("shutdown waits for room in a full mailbox instead of dropping what it drains")
    func shutdownDrainsIntoFullMailboxes() async {
        // A tiny mailbox and a subscriber slower than the producer: while running, drops are
        // allowed (and counted); what is still in the central buffer at shutdown is delivered.
        let registry = MetricRegistry()
        let bus = startedBus(configuration: .init(capacity: 1_000_000, subscriberCapacity: 16), registry: registry)
        let handled = Atomic<Int>(0)
        bus.subscribe(ClosureSubscriber(name: "slow") { _ in
            try await Task.sleep(for: .microseconds(50))
            handled.wrappingAdd(1, ordering: .relaxed)
        })
        for i in 0..<2_000 { bus.emit(Numbered(producer: 0, sequence: i)) }
        await bus.shutdown()
        let dropped = registry.snapshot().value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "subscriber_mailbox_full"]) ?? 0
        #expect(Double(handled.load(ordering: .relaxed)) + dropped == 2_000, "delivered or counted, never lost")
    }

    @Test("shutdown after 100,000 events from 8 tasks loses nothing: every subscriber counts exactly 100,000")
    func shutdownLosesNothing() async {
        let bus = startedBus(configuration: .init(capacity: 200_000, subscriberCapacity: 200_000))
        let subscribers = (0..<3).map { Recorder(name: "s\($0)") }
        for s in subscribers { bus.subscribe(s) }
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<8 {
                group.addTask {
                    for i in 0..<12_500 { bus.emit(Numbered(producer: p, sequence: i)) }
                }
            }
        }
        await bus.shutdown()
        for s in subscribers {
            #expect(s.count.load(ordering: .relaxed) == 100_000)
            // Per-producer order is preserved.
            let byProducer = Dictionary(grouping: s.received.withLock { $0 }, by: \.producer)
            for (_, events) in byProducer { #expect(events.map(\.sequence) == Array(0..<12_500)) }
        }
        #expect(bus.statistics.dropped == 0)
    }

    @Test("events emitted after shutdown are dropped and counted with reason shutdown")
    func emitAfterShutdown() async {
        let registry = MetricRegistry()
        let bus = startedBus(registry: registry)
        await bus.shutdown()
        bus.emit(Numbered(producer: 0, sequence: 0))
        #expect(registry.snapshot().value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "shutdown"]) == 1)
    }

    @Test("under drop-oldest with mixed types, emitted plus dropped equals what was emitted, per type")
    func perTypeAccountingUnderDropOldest() async {
        let registry = MetricRegistry()
        let bus = startedBus(configuration: .init(capacity: 8, overflowPolicy: .dropOldest), registry: registry)
        let r = Recorder()
        bus.subscribe(r)
        for i in 0..<2_000 {
            if i % 3 == 0 { bus.emit(Other()) } else { bus.emit(Numbered(producer: 0, sequence: i)) }
        }
        await bus.flush()
        let snap = registry.snapshot()
        for (event, expected) in [("numbered", 1_333.0), ("other", 667.0)] {
            let emitted = snap.value("agent_telemetry_events_emitted_total", ["event": event]) ?? 0
            let dropped = snap.value("agent_telemetry_events_dropped_total", ["event": event, "reason": "buffer_full"]) ?? 0
            #expect(emitted + dropped == expected, "\(event): \(emitted) emitted + \(dropped) dropped")
        }
        #expect(r.count.load(ordering: .relaxed) == bus.statistics.dispatched)
        await bus.shutdown()
    }

    @Test("emitted events are counted per type")
    func emittedCountedPerType() async {
        let registry = MetricRegistry()
        let bus = startedBus(registry: registry)
        for i in 0..<7 { bus.emit(Numbered(producer: 0, sequence: i)) }
        bus.emit(Other())
        await bus.flush()
        let snap = registry.snapshot()
        #expect(snap.value("agent_telemetry_events_emitted_total", ["event": "numbered"]) == 7)
        #expect(snap.value("agent_telemetry_events_emitted_total", ["event": "other"]) == 1)
        await bus.shutdown()
    }
}

@Suite("Bounded buffer overflow policies")
struct BoundedBufferTests {
    @Test("drop oldest keeps the newest events and reports the displaced one")
    func dropOldest() async {
        let b = BoundedBuffer(capacity: 3)
        var displaced: [Int] = []
        for i in 0..<5 {
            if case .displaced(.event(let e, _)) = b.push(.event(EventPayload(Numbered(producer: 0, sequence: i)), ObjectIdentifier(Numbered.self)), policy: .dropOldest) {
                displaced.append((e.event as? Numbered)?.sequence ?? -1)
            }
        }
        #expect(displaced == [0, 1])
        #expect(await sequences(b) == [2, 3, 4])
    }

    @Test("drop newest keeps the oldest events and rejects the new one")
    func dropNewest() async {
        let b = BoundedBuffer(capacity: 3)
        var rejected = 0
        for i in 0..<5 {
            if case .rejected = b.push(.event(EventPayload(Numbered(producer: 0, sequence: i)), ObjectIdentifier(Numbered.self)), policy: .dropNewest) {
                rejected += 1
            }
        }
        #expect(rejected == 2)
        #expect(await sequences(b) == [0, 1, 2])
    }

    @Test("the draining mode reports full instead of dropping")
    func reportFullReportsFull() {
        let b = BoundedBuffer(capacity: 1)
        _ = b.push(.event(EventPayload(Numbered(producer: 0, sequence: 0)), ObjectIdentifier(Numbered.self)), policy: .reportFull)
        if case .full = b.push(.event(EventPayload(Numbered(producer: 0, sequence: 1)), ObjectIdentifier(Numbered.self)), policy: .reportFull) {
        } else {
            Issue.record("expected .full")
        }
        #expect(b.depth == 1)
    }

    @Test("a full bus counts every dropped event under drop-newest")
    func busCountsDrops() async {
        let registry = MetricRegistry()
        let gate = Gate()
        let bus = startedBus(configuration: .init(capacity: 10, overflowPolicy: .dropNewest, subscriberCapacity: 10), registry: registry)
        let got = Atomic<Int>(0)
        bus.subscribe(ClosureSubscriber(name: "gated") { _ in await gate.wait(); got.wrappingAdd(1, ordering: .relaxed) })
        for i in 0..<1_000 { bus.emit(Numbered(producer: 0, sequence: i)) }
        gate.open()
        await bus.flush()
        let snap = registry.snapshot()
        let droppedCentral = snap.value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "buffer_full"]) ?? 0
        let droppedMailbox = snap.value("agent_telemetry_events_dropped_total", ["event": "numbered", "reason": "subscriber_mailbox_full"]) ?? 0
        #expect(droppedCentral + droppedMailbox > 0)
        #expect(Double(got.load(ordering: .relaxed)) + droppedCentral + droppedMailbox == 1_000)
        await bus.shutdown()
    }

    private func sequences(_ b: BoundedBuffer) async -> [Int] {
        b.close()
        var out: [Int] = []
        var batch = DequeHolder.make()
        while await b.next(into: &batch) {
            for item in batch { if case .event(let e, _) = item { out.append((e.event as? Numbered)?.sequence ?? -1) } }
            batch.removeAll()
        }
        return out
    }
}
