import DequeModule
import Logging
import Synchronization

/// Settings of the event bus.
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
    /// Events accepted by `emit` and handed to the dispatcher.
    public var dispatched: Int
    /// Events discarded: central buffer full, emitted after shutdown, a subscriber's mailbox full,
    /// or still queued at a hard stop (cancellation).
    public var dropped: Int
    /// Events currently waiting in the central buffer.
    public var depth: Int
    /// Registered subscribers.
    public var subscribers: Int
}

/// The asynchronous event bus behind `Telemetry`: agent code emits, subscribers receive.
///
/// `emit` is non-blocking and callable from any context: it appends to a bounded buffer under a
/// short lock and returns. Nothing runs until `run()`: it hosts, in one task group, the dispatcher
/// (which drains the buffer in batches into each subscriber's bounded mailbox) and one child task
/// per subscriber. Events emitted before `run()` wait in the buffer (bounded, as always).
/// `close()` starts a graceful stop: nothing more is accepted, everything accepted is delivered,
/// then `run()` returns. Cancelling `run()` is a hard stop: what is still queued is dropped and
/// counted (`reason="cancelled"`).
final class EventBus: Sendable {
    let configuration: EventBusConfiguration
    let central: BoundedBuffer
    let logger: Logger
    private let pushPolicy: BoundedBuffer.PushPolicy
    /// Asked at `emit` for the trace current in the emitting task: the default source held
    /// concretely, any other as an existential; both nil turn the capture off.
    private let contextSource: ContextExemplarSource?
    private let customSource: (any ExemplarSource)?
    private let observer: (any EventBusObserver)?
    private let dispatcher: EventDispatcher
    private let state = Mutex<State>(State())
    private let droppedTotal = Atomic<Int>(0)
    /// Registered subscribers other than the standard one: while there are none, standard events
    /// travel by value (no allocation per event); otherwise they are boxed once at `emit`.
    private let boxingSubscribers = Atomic<Int>(0)
    /// Whether `emit` boxes standard events now (a subscriber that takes existentials is registered).
    var boxesStandardEvents: Bool { boxingSubscribers.load(ordering: .relaxed) > 0 }
    private let nextID = Atomic<UInt64>(1)

    struct State {
        /// Workers registered but not yet started by `run()`.
        var pending: [SubscriberWorker] = []
        /// `run()`'s wake-up when a worker is registered while it runs.
        var pendingWaiter: CheckedContinuation<Void, Never>?
        var closed = false
        /// Set when the dispatcher has finished: `run()` starts no further worker.
        var registrationsDone = false
        var running = false
        var finished = false
        /// Callers of `waitUntilFinished()`.
        var finishWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Creates a bus. It starts nothing: `run()` delivers.
    init(configuration: EventBusConfiguration = .init(), observer: (any EventBusObserver)? = nil,
         exemplarSource: (any ExemplarSource)? = nil,
         logger: Logger = Logger(label: "agent-telemetry.bus")) {
        self.configuration = configuration
        self.contextSource = exemplarSource as? ContextExemplarSource
        self.customSource = exemplarSource is ContextExemplarSource ? nil : exemplarSource
        self.central = BoundedBuffer(capacity: configuration.capacity)
        self.pushPolicy = .init(configuration.overflowPolicy)
        self.observer = observer
        self.logger = logger
        self.dispatcher = EventDispatcher(
            central: central, observer: observer,
            mailboxPolicy: configuration.overflowPolicy, logger: logger)
    }

    deinit {
        central.close()
    }

    // MARK: Emitting

    /// Publishes an event without blocking. Never throws, never suspends.
    ///
    /// When the buffer is full the configured policy applies: `dropOldest` discards the oldest
    /// buffered event, `dropNewest` this one. Every discarded event is counted.
    /// Cost: one short lock section, and for an event larger than three words an existential box
    /// (one allocation); a standard event goes through the overload below, by value.
    @inline(__always)
    func emit<E: TelemetryEvent>(_ event: E) {
        emitItem(.event(.boxed(event, trace(of: event)), ObjectIdentifier(E.self)), type: E.self)
    }

    /// Publishes an event whose exemplars point to `trace`, whatever the event or the source say.
    @inline(__always)
    func emit<E: TelemetryEvent>(_ event: E, trace: TraceReference) {
        emitItem(.event(.boxed(event, trace), ObjectIdentifier(E.self)), type: E.self)
    }

    /// Publishes a standard event: chosen by overload resolution wherever the static type is a
    /// standard event, it is stored by value (no allocation).
    @inline(__always)
    func emit<E: StandardEvent>(_ event: E) {
        emitItem(.event(payload(event, trace: trace(of: event)), ObjectIdentifier(E.self)), type: E.self)
    }

    /// Publishes a standard event whose exemplars point to `trace`.
    @inline(__always)
    func emit<E: StandardEvent>(_ event: E, trace: TraceReference) {
        emitItem(.event(payload(event, trace: trace), ObjectIdentifier(E.self)), type: E.self)
    }

    /// The event's own trace, else the one current in the emitting task (nil when exemplars are off).
    @inline(__always)
    private func trace(of event: some TelemetryEvent) -> TraceReference? {
        if let explicit = event.trace { return explicit }
        // The default source called directly (no existential), a custom one through its witness.
        if let contextSource { return contextSource.currentTrace() }
        return customSource?.currentTrace()
    }

    /// A standard event by value while only the standard subscriber would receive it; boxed here,
    /// once, when a subscriber that takes existentials is registered (it would box it anyway).
    @inline(__always)
    private func payload<E: StandardEvent>(_ event: E, trace: TraceReference?) -> EventPayload {
        if boxingSubscribers.load(ordering: .relaxed) == 0 { return .standard(StandardEventPayload(event, trace: trace)) }
        var e = event
        if let trace { e.trace = trace }
        return .boxedStandard(e)
    }

    /// Publishes an event held as an existential: kept as is, not reboxed. A standard event is
    /// recognised by one dynamic cast, so that it still updates the standard metrics through its
    /// witness.
    func emit(any event: any TelemetryEvent) {
        let type = Swift.type(of: event)
        let trace = trace(of: event)
        let payload: EventPayload
        if var standard = event as? any StandardEvent {
            if let trace { standard.trace = trace }
            payload = .boxedStandard(standard)
        } else {
            payload = .boxed(event, trace)
        }
        emitItem(.event(payload, ObjectIdentifier(type)), type: type)
    }

    private func emitItem(_ item: consuming BusItem, type: any TelemetryEvent.Type) {
        // Moved into the buffer, not copied (the copy and the release of this one were 7 % of a
        // standard event's cost on the producer side).
        var slot: BusItem? = consume item
        switch central.push(&slot, type: type, policy: pushPolicy) {
        case .accepted: return
        case .displaced(let old): countDrop(old, reason: .bufferFull)
        case .rejected(let closed): if let item = slot { countDrop(item, reason: closed ? .shutdown : .bufferFull) }
        case .full: if let item = slot { countDrop(item, reason: .bufferFull) }
        }
    }

    private func countDrop(_ item: BusItem, reason: DropReason) {
        guard case .event(let payload, _) = item else { return }
        droppedTotal.wrappingAdd(1, ordering: .relaxed)
        observer?.dropped(eventName: payload.eventType.eventName, reason: reason, count: 1)
    }

    // MARK: Subscribing

    /// Registers a subscriber for the events `filter` selects. Its delivery task starts with
    /// `run()` (or at once, when `run()` is already running).
    @discardableResult
    func subscribe(_ subscriber: any TelemetrySubscriber, filter: EventFilter = .all) -> Subscription {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let worker = SubscriberWorker(
            id: id, subscriber: subscriber, filter: filter, capacity: configuration.subscriberCapacity,
            logger: logger, errorCounter: observer?.errorCounter(subscriber: subscriber.name),
            observer: observer)
        // Registered with the dispatcher under the same lock as the closed flag: a stop either
        // sees this worker in both places or in neither.
        let (accepted, wake) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            if s.closed { return (false, nil) }
            s.pending.append(worker)
            dispatcher.add(worker)
            defer { s.pendingWaiter = nil }
            return (true, s.pendingWaiter)
        }
        if !accepted { worker.mailbox.close() }
        if accepted && worker.needsBoxedEvents { boxingSubscribers.wrappingAdd(1, ordering: .relaxed) }
        wake?.resume()
        return Subscription(id: id, bus: self)
    }

    /// Registers a closure for events of one type.
    @discardableResult
    func subscribe<E: TelemetryEvent>(
        to type: E.Type, name: String, _ handler: @escaping @Sendable (E) async throws -> Void
    ) -> Subscription {
        subscribe(ClosureSubscriber(name: name) { event in
            if let typed = event as? E { try await handler(typed) }
        }, filter: .only(type))
    }

    func unsubscribe(_ id: UInt64) {
        guard let worker = dispatcher.remove(id) else { return }
        if worker.needsBoxedEvents { boxingSubscribers.wrappingSubtract(1, ordering: .relaxed) }
        // The worker delivers what its mailbox already holds, then ends.
        worker.mailbox.close()
    }

    // MARK: Lifecycle

    /// Delivers events until `close()` has been called and everything accepted is delivered, or
    /// until cancelled (then what is still queued is dropped and counted). Runs once; a second
    /// call returns `false` at once.
    func run() async -> Bool {
        let first = state.withLock { s -> Bool in
            if s.running || s.finished { return false }
            s.running = true
            return true
        }
        guard first else { return false }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    await self.dispatcher.run()
                    self.finishRegistrations()
                }
                while let workers = await nextPending() {
                    for worker in workers { group.addTask { await worker.run() } }
                }
            }
        } onCancel: {
            self.hardStop()
        }
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.finished = true
            s.running = false
            defer { s.finishWaiters = [] }
            return s.finishWaiters
        }
        for w in waiters { w.resume() }
        return true
    }

    /// The workers registered since the last call; waits while there are none; `nil` once the
    /// dispatcher has finished and every registered worker was handed out.
    private func nextPending() async -> [SubscriberWorker]? {
        while true {
            let taken = state.withLock { s -> [SubscriberWorker]?? in
                if !s.pending.isEmpty { defer { s.pending = [] }; return .some(s.pending) }
                return s.registrationsDone ? .some(nil) : nil
            }
            if let taken { return taken }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if !s.pending.isEmpty || s.registrationsDone { return true }
                    s.pendingWaiter = c
                    return false
                }
                if now { c.resume() }
            }
        }
    }

    /// Called when the dispatcher is done (every mailbox closed): no worker can be added any
    /// more, and `run()`'s registration loop ends once it has started the ones already added.
    private func finishRegistrations() {
        let wake = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.closed = true
            s.registrationsDone = true
            defer { s.pendingWaiter = nil }
            return s.pendingWaiter
        }
        wake?.resume()
    }

    /// Cancellation: stop accepting, drop what is queued (counted), and let every task end.
    private func hardStop() {
        state.withLock { $0.closed = true }
        for worker in dispatcher.allWorkers { worker.stopped.store(true, ordering: .relaxed) }
        let queued = central.closeAndTakeAll()
        for item in queued {
            switch item {
            case .event: countDrop(item, reason: .cancelled)
            case .barrier(let b): b.release()
            }
        }
    }

    /// Suspends until every event emitted before this call has been handled (or dropped) by
    /// every subscriber. Before `run()` starts, it waits for `run()`.
    ///
    /// Do not call it from inside a subscriber's `handle`: the barrier would wait for that very call.
    func flush() async {
        let barrier = FlushBarrier()
        guard central.pushBarrier(barrier) else {
            // Closed: everything emitted before is being drained; wait for the drain.
            await waitUntilFinished()
            return
        }
        await barrier.wait()
    }

    /// Stops accepting events; `run()` delivers everything already accepted and returns.
    /// Events emitted afterwards are dropped and counted (`reason="shutdown"`).
    func close() {
        state.withLock { $0.closed = true }
        central.close()
    }

    /// Closes the bus and waits until everything accepted has been delivered. When `run()` has
    /// not been started, the drain runs here, in the caller's task.
    func shutdown() async {
        close()
        let runHere = state.withLock { s -> Bool in !s.running && !s.finished }
        if runHere, await run() { return }
        await waitUntilFinished()
    }

    /// Returns once `run()` has finished (at once if it has).
    func waitUntilFinished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.finished { return true }
                s.finishWaiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// What the bus has done so far.
    var statistics: EventBusStatistics {
        EventBusStatistics(
            dispatched: dispatcher.dispatched.load(ordering: .relaxed),
            dropped: droppedTotal.load(ordering: .relaxed) + dispatcher.mailboxDrops.load(ordering: .relaxed),
            depth: central.depth, subscribers: dispatcher.count)
    }
}

/// Drains the central buffer and fans batches out to subscriber mailboxes.
actor EventDispatcher {
    nonisolated let central: BoundedBuffer
    nonisolated let dispatched = Atomic<Int>(0)
    nonisolated let mailboxDrops = Atomic<Int>(0)
    private nonisolated let workers = Mutex<[SubscriberWorker]>([])
    private let observer: (any EventBusObserver)?
    private let mailboxPolicy: OverflowPolicy
    private let logger: Logger
    private var emittedByType: [ObjectIdentifier: CounterSeries] = [:]

    init(central: BoundedBuffer, observer: (any EventBusObserver)?, mailboxPolicy: OverflowPolicy, logger: Logger) {
        self.central = central
        self.observer = observer
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

    nonisolated var allWorkers: [SubscriberWorker] { workers.withLock { $0 } }

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
            // After close, everything accepted must reach the subscribers: wait for room (unless
            // this is a hard stop, when the workers are cancelled and drop what they hold).
            let draining = central.isClosed && !Task.isCancelled
            for (index, worker) in targets.enumerated() {
                let unfiltered = worker.filter.types == nil
                // The last unfiltered subscriber can take the batch's storage as is (the common
                // single-subscriber case then moves no item at all).
                if !draining && unfiltered && index == targets.count - 1
                    && worker.mailbox.takeIfEmpty(&batch, events: events) {
                    continue
                }
                let source = batch
                if !unfiltered {
                    filtered.removeAll(keepingCapacity: true)
                    for item in source {
                        switch item {
                        case .event(_, let t): if worker.filter.accepts(t) { filtered.append(item) }
                        case .barrier: filtered.append(item)
                        }
                    }
                }
                if draining {
                    if unfiltered { await worker.mailbox.pushAllWaiting(source) } else { await worker.mailbox.pushAllWaiting(filtered) }
                    continue
                }
                if unfiltered {
                    worker.mailbox.pushAll(source, policy: mailboxPolicy, dropped: &dropped)
                } else {
                    worker.mailbox.pushAll(filtered, policy: mailboxPolicy, dropped: &dropped)
                }
                if !dropped.isEmpty {
                    mailboxDrops.wrappingAdd(dropped.count, ordering: .relaxed)
                    countMailboxDrops(dropped, subscriber: worker.subscriberName)
                    dropped.removeAll(keepingCapacity: true)
                }
            }
            let behind = events >= 4096
            batch.removeAll(keepingCapacity: true)
            // A dispatcher that is behind (large batches) must not monopolise a thread: let the
            // endpoint, signal handlers and the agent itself run between batches.
            if behind { await Task.yield() }
        }
        // The bus is closed and drained: let every subscriber drain its mailbox and finish.
        for w in workers.withLock({ $0 }) { w.mailbox.close() }
    }

    private func counter(for id: ObjectIdentifier, name: String) -> CounterSeries? {
        if let c = emittedByType[id] { return c }
        guard let c = observer?.emittedCounter(eventName: name) else { return nil }
        emittedByType[id] = c
        return c
    }

    private var loggedMailboxDrop: Set<String> = []

    private func countMailboxDrops(_ items: [BusItem], subscriber: String) {
        if loggedMailboxDrop.insert(subscriber).inserted {
            logger.warning("subscriber \(subscriber) is too slow: its mailbox is full and events are being dropped (counted in agent_telemetry_events_dropped_total{reason=\"subscriber_mailbox_full\"})")
        }
        guard let observer else { return }
        for item in items {
            if case .event(let payload, _) = item {
                observer.dropped(eventName: payload.eventType.eventName, reason: .subscriberMailboxFull, count: 1)
            }
        }
    }
}
