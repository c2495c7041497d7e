import DequeModule
import Logging
import Synchronization

/// Settings of an event bus.
public struct EventBusConfiguration: Sendable, Hashable {
    /// Events the central buffer holds before the overflow policy applies.
    public var capacity: Int
    /// What happens when the central buffer is full.
    public var overflowPolicy: OverflowPolicy
    /// Events each subscriber's mailbox holds before that subscriber starts dropping.
    public var subscriberCapacity: Int

    /// Creates a configuration (defaults: 65,536 events, drop oldest, 65,536 per subscriber).
    public init(capacity: Int = 65_536, overflowPolicy: OverflowPolicy = .dropOldest, subscriberCapacity: Int = 65_536) {
        self.capacity = capacity
        self.overflowPolicy = overflowPolicy
        self.subscriberCapacity = subscriberCapacity
    }
}

/// A handle to a registered subscriber. Cancel it to stop delivery; events already in the
/// subscriber's mailbox are still delivered.
public struct Subscription: Sendable, Hashable {
    let id: UInt64
    weak var bus: EventBus?

    /// Stops delivering new events to the subscriber.
    public func cancel() { bus?.unsubscribe(id) }

    public static func == (a: Subscription, b: Subscription) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Counters describing what the bus did.
public struct EventBusStatistics: Sendable, Hashable {
    /// Events accepted by `emit`/`send` and handed to the dispatcher.
    public var dispatched: Int
    /// Events discarded: central buffer full, emitted after shutdown, or a subscriber's mailbox full.
    public var dropped: Int
    /// Events currently waiting in the central buffer.
    public var depth: Int
    /// Registered subscribers.
    public var subscribers: Int
}

/// The asynchronous event bus: agent code emits, subscribers receive.
///
/// `emit` is non-blocking and callable from any context, synchronous code included: it appends
/// to a bounded buffer under a short lock and returns; it never throws and never suspends.
/// A dispatcher actor drains the buffer in batches and fans events out to each subscriber's own
/// bounded mailbox, which a per-subscriber actor delivers. Batching is the design: under load a
/// single lock round-trip moves thousands of events.
public final class EventBus: Sendable {
    /// The bus settings.
    public let configuration: EventBusConfiguration
    let central: BoundedBuffer
    let registry: MetricRegistry?
    let logger: Logger
    private let dispatcher: EventDispatcher
    private let tasks = Mutex<Tasks>(Tasks())
    private let droppedTotal = Atomic<Int>(0)
    private let nextID = Atomic<UInt64>(1)
    private let droppedFamily: CounterFamily?
    private let errorsFamily: CounterFamily?

    struct Tasks {
        var dispatcher: Task<Void, Never>?
        var workers: [UInt64: Task<Void, Never>] = [:]
        var shutDown = false
    }

    /// Creates a bus and starts its dispatcher.
    /// - Parameters:
    ///   - configuration: buffer sizes and overflow policy.
    ///   - registry: where the bus reports its own metrics (emitted, dropped, subscriber errors, queue depth); `nil` for none.
    ///   - logger: where subscriber failures are reported (rate-limited).
    public init(configuration: EventBusConfiguration = .init(), registry: MetricRegistry? = nil,
                logger: Logger = Logger(label: "agent-telemetry.bus")) {
        self.configuration = configuration
        self.central = BoundedBuffer(capacity: configuration.capacity)
        self.registry = registry
        self.logger = logger
        self.droppedFamily = try? registry?.counter(
            "agent_telemetry_events_dropped_total",
            help: "Events discarded by the bus, by event type and reason (buffer_full, shutdown, subscriber_mailbox_full).",
            labelNames: ["event", "reason"])
        self.errorsFamily = try? registry?.counter(
            "agent_telemetry_subscriber_errors_total",
            help: "Events whose subscriber threw an error, by subscriber.", labelNames: ["subscriber"])
        let emitted = try? registry?.counter(
            "agent_telemetry_events_emitted_total",
            help: "Events accepted by the bus and dispatched to subscribers, by event type.", labelNames: ["event"])
        self.dispatcher = EventDispatcher(
            central: central, emitted: emitted, dropped: droppedFamily,
            mailboxPolicy: configuration.overflowPolicy == .dropOldest ? .dropOldest : .dropNewest, logger: logger)
        if let registry, let depth = try? registry.gauge(
            "agent_telemetry_bus_queue_depth", help: "Events waiting in the bus's central buffer.") {
            let buffer = central
            registry.addCollector { depth.series.set(Double(buffer.depth)) }
        }
        let dispatcher = self.dispatcher
        let task = Task { await dispatcher.run() }
        tasks.withLock { $0.dispatcher = task }
    }

    deinit {
        central.close()
    }

    // MARK: Emitting

    /// Publishes an event without blocking. Never throws, never suspends.
    ///
    /// When the buffer is full the configured policy applies: `dropOldest` discards the oldest
    /// buffered event, `dropNewest` and `suspend` discard this one. Every discarded event is
    /// counted in `agent_telemetry_events_dropped_total`.
    /// Cost: one short lock section and, for events larger than three words, one existential box.
    public func emit<E: TelemetryEvent>(_ event: E) {
        emitItem(.event(event, ObjectIdentifier(E.self)), type: E.self)
    }

    /// Publishes an event held as an existential.
    public func emit(any event: any TelemetryEvent) {
        let type = Swift.type(of: event)
        emitItem(.event(event, ObjectIdentifier(type)), type: type)
    }

    func emitItem(_ item: BusItem, type: any TelemetryEvent.Type) {
        switch central.push(item, type: type, policy: configuration.overflowPolicy) {
        case .accepted: return
        case .displaced(let old): countDrop(old, reason: "buffer_full")
        case .rejected(let closed): countDrop(item, reason: closed ? "shutdown" : "buffer_full")
        case .full: countDrop(item, reason: "buffer_full")
        }
    }

    /// Publishes an event, suspending while the buffer is full when the policy is `.suspend`
    /// (other policies behave as `emit`). Never throws.
    public func send<E: TelemetryEvent>(_ event: E) async {
        let item = BusItem.event(event, ObjectIdentifier(E.self))
        while true {
            switch central.push(item, type: E.self, policy: configuration.overflowPolicy) {
            case .accepted: return
            case .displaced(let old): countDrop(old, reason: "buffer_full"); return
            case .rejected(let closed): countDrop(item, reason: closed ? "shutdown" : "buffer_full"); return
            case .full:
                if Task.isCancelled { countDrop(item, reason: "buffer_full"); return }
                await central.waitForSpace()
            }
        }
    }

    func countDrop(_ item: BusItem, reason: String) {
        guard case .event(let event, _) = item else { return }
        droppedTotal.wrappingAdd(1, ordering: .relaxed)
        droppedFamily?.labels([type(of: event).eventName, reason]).increment()
    }

    // MARK: Subscribing

    /// Registers a subscriber for the events `filter` selects.
    @discardableResult
    public func subscribe(_ subscriber: any TelemetrySubscriber, filter: EventFilter = .all) -> Subscription {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let worker = SubscriberWorker(
            id: id, subscriber: subscriber, filter: filter, capacity: configuration.subscriberCapacity,
            logger: logger, errorCounter: errorsFamily?.labels([subscriber.name]))
        // Registering with the dispatcher under the same lock as the shutdown flag: a shutdown
        // either sees this worker in both places or in neither.
        let started = tasks.withLock { t -> Bool in
            if t.shutDown { return false }
            t.workers[id] = Task { await worker.run() }
            dispatcher.add(worker)
            return true
        }
        if !started { worker.mailbox.close() }
        return Subscription(id: id, bus: self)
    }

    /// Registers a closure for events of one type.
    @discardableResult
    public func subscribe<E: TelemetryEvent>(
        to type: E.Type, name: String = String(describing: E.self),
        _ handler: @escaping @Sendable (E) async throws -> Void
    ) -> Subscription {
        subscribe(ClosureSubscriber(name: name) { event in
            if let typed = event as? E { try await handler(typed) }
        }, filter: .only(type))
    }

    func unsubscribe(_ id: UInt64) {
        guard let worker = dispatcher.remove(id) else { return }
        // The worker delivers what its mailbox already holds, then ends.
        worker.mailbox.close()
        tasks.withLock { _ = $0.workers.removeValue(forKey: id) }
    }

    // MARK: Lifecycle

    /// Suspends until every event emitted before this call has been handled (or dropped) by
    /// every subscriber.
    ///
    /// Do not call it from inside a subscriber's `handle`: the barrier would wait for that very call.
    public func flush() async {
        let barrier = FlushBarrier()
        guard central.pushBarrier(barrier) else {
            // Shutting down: everything emitted before is being drained; wait for the drain.
            await awaitDrain()
            return
        }
        await barrier.wait()
    }

    private func awaitDrain() async {
        let (dispatcherTask, workers) = tasks.withLock { t in (t.dispatcher, Array(t.workers.values)) }
        await dispatcherTask?.value
        for w in workers { await w.value }
    }

    /// Stops accepting events, delivers everything already accepted to every subscriber (while
    /// draining, the dispatcher waits for room in a full mailbox instead of dropping), and stops
    /// the bus's tasks. Events emitted afterwards are dropped and counted (`reason="shutdown"`).
    /// A subscriber that never returns from `handle` keeps shutdown waiting; the runtime bounds
    /// graceful shutdown with a maximum duration for that reason.
    public func shutdown() async {
        tasks.withLock { $0.shutDown = true }
        central.close()
        await awaitDrain()
    }

    /// What the bus has done so far.
    public var statistics: EventBusStatistics {
        EventBusStatistics(
            dispatched: dispatcher.dispatched.load(ordering: .relaxed),
            dropped: droppedTotal.load(ordering: .relaxed) + dispatcher.mailboxDrops.load(ordering: .relaxed),
            depth: central.depth, subscribers: dispatcher.count)
    }

    /// Events dropped because a subscriber's mailbox was full, all subscribers together
    /// (per subscriber and event type in `agent_telemetry_events_dropped_total`).
    public var subscriberDrops: Int { dispatcher.mailboxDrops.load(ordering: .relaxed) }
}

/// Drains the central buffer and fans batches out to subscriber mailboxes.
actor EventDispatcher {
    nonisolated let central: BoundedBuffer
    nonisolated let dispatched = Atomic<Int>(0)
    nonisolated let mailboxDrops = Atomic<Int>(0)
    private nonisolated let workers = Mutex<[SubscriberWorker]>([])
    private let emitted: CounterFamily?
    private let dropped: CounterFamily?
    private let mailboxPolicy: OverflowPolicy
    private let logger: Logger
    private var emittedByType: [ObjectIdentifier: Counter] = [:]

    init(central: BoundedBuffer, emitted: CounterFamily?, dropped: CounterFamily?, mailboxPolicy: OverflowPolicy, logger: Logger) {
        self.central = central
        self.emitted = emitted
        self.dropped = dropped
        self.mailboxPolicy = mailboxPolicy
        self.logger = logger
    }

    nonisolated func add(_ w: SubscriberWorker) { workers.withLock { $0.append(w) } }

    nonisolated func remove(_ id: UInt64) -> SubscriberWorker? {
        workers.withLock { list in
            guard let i = list.firstIndex(where: { $0.id == id }) else { return nil }
            return list.remove(at: i)
        }
    }

    nonisolated var count: Int { workers.withLock { $0.count } }

    func run() async {
        var batch = Deque<BusItem>()
        var dropped: [BusItem] = []
        var filtered: [BusItem] = []
        var runs: [TypeRun] = []
        var barriers = 0
        while await central.next(into: &batch, runs: &runs, barriers: &barriers) {
            let targets = workers.withLock { $0 }
            // Count emitted events per type from the runs the buffer kept: no item is touched.
            var events = 0
            for run in runs {
                events += run.count
                counter(for: ObjectIdentifier(run.type), name: run.type.eventName)?.increment(by: run.count)
            }
            runs.removeAll(keepingCapacity: true)
            if barriers > 0 {
                for item in batch {
                    if case .barrier(let b) = item { b.expect(targets.count) }
                }
            }
            dispatched.wrappingAdd(events, ordering: .relaxed)
            // After close, everything accepted must reach the subscribers: wait for room.
            let draining = central.isClosed
            for (index, worker) in targets.enumerated() {
                let unfiltered = worker.filter.types == nil
                // The last unfiltered subscriber can take the batch's storage as is (the common
                // single-subscriber case then moves no item at all).
                if !draining && unfiltered && index == targets.count - 1
                    && worker.mailbox.takeIfEmpty(&batch, events: events) {
                    continue
                }
                if !unfiltered {
                    filtered.removeAll(keepingCapacity: true)
                    for item in batch {
                        switch item {
                        case .event(_, let t): if worker.filter.accepts(t) { filtered.append(item) }
                        case .barrier: filtered.append(item)
                        }
                    }
                }
                if draining {
                    if unfiltered { await worker.mailbox.pushAllWaiting(batch) } else { await worker.mailbox.pushAllWaiting(filtered) }
                    continue
                }
                if unfiltered {
                    worker.mailbox.pushAll(batch, policy: mailboxPolicy, dropped: &dropped)
                } else {
                    worker.mailbox.pushAll(filtered, policy: mailboxPolicy, dropped: &dropped)
                }
                if !dropped.isEmpty {
                    mailboxDrops.wrappingAdd(dropped.count, ordering: .relaxed)
                    countMailboxDrops(dropped, subscriber: worker.subscriberName)
                    dropped.removeAll(keepingCapacity: true)
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        // The bus is shut down: let every subscriber drain and finish.
        for w in workers.withLock({ $0 }) { w.mailbox.close() }
    }

    private func counter(for id: ObjectIdentifier, name: String) -> Counter? {
        if let c = emittedByType[id] { return c }
        guard let c = emitted?.labels([name]) else { return nil }
        emittedByType[id] = c
        return c
    }

    private var loggedMailboxDrop: Set<String> = []

    private func countMailboxDrops(_ items: [BusItem], subscriber: String) {
        if loggedMailboxDrop.insert(subscriber).inserted {
            logger.warning("subscriber \(subscriber) is too slow: its mailbox is full and events are being dropped (counted in agent_telemetry_events_dropped_total{reason=\"subscriber_mailbox_full\"})")
        }
        guard let dropped else { return }
        for item in items {
            if case .event(let event, _) = item {
                dropped.labels([type(of: event).eventName, "subscriber_mailbox_full"]).increment()
            }
        }
    }
}
