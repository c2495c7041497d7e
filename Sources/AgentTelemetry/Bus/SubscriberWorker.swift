import DequeModule
import Logging
import Synchronization

/// Delivers one subscriber's mailbox to it, on its own task.
///
/// Not an actor on purpose: the delivery loop is the only code touching its state (a local
/// variable), and calling the subscriber's nonisolated `handle` from a nonisolated loop avoids an
/// executor hop per event (the benchmark measured ~15% of the per-event cost in those hops).
final class SubscriberWorker: Sendable {
    let id: UInt64
    let subscriberName: String
    let filter: EventFilter
    let mailbox: BoundedBuffer
    let handled = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    /// Set by a hard stop (cancellation of the bus): the worker drops what it still holds.
    let stopped = Atomic<Bool>(false)
    private let subscriber: any TelemetrySubscriber
    /// The standard subscriber's metrics when this worker serves one: standard events are then
    /// recorded straight from their by-value payload, without an existential.
    private let standardMetrics: StandardMetrics?
    /// The test kit's recorder when this worker serves one: it keeps the payloads as stored.
    private let eventLog: EventLog?
    /// Whether events must reach this subscriber as existentials (every subscriber but the
    /// standard one and the test kit's log): while one is registered, the bus boxes standard
    /// events at `emit`.
    var needsBoxedEvents: Bool { standardMetrics == nil && eventLog == nil }
    private let logger: Logger
    private let errorCounter: CounterSeries?
    private let observer: (any EventBusObserver)?

    init(id: UInt64, subscriber: any TelemetrySubscriber, filter: EventFilter, capacity: Int, logger: Logger,
         errorCounter: CounterSeries?, observer: (any EventBusObserver)?) {
        self.observer = observer
        self.id = id
        self.subscriberName = subscriber.name
        self.subscriber = subscriber
        self.standardMetrics = (subscriber as? StandardSubscriber)?.metrics
        self.eventLog = subscriber as? EventLog
        self.filter = filter
        self.mailbox = BoundedBuffer(capacity: capacity)
        self.logger = logger
        self.errorCounter = errorCounter
    }

    /// Runs until the mailbox is closed and drained. When its task is cancelled (a hard stop of
    /// the bus), it drops what it still holds, counted, instead of delivering it.
    func run() async {
        var lastErrorLog: ContinuousClock.Instant?
        var batch = Deque<BusItem>()
        while await mailbox.next(into: &batch) {
            if Task.isCancelled || stopped.load(ordering: .relaxed) {
                discard(batch)
                discard(mailbox.closeAndTakeAll())
                return
            }
            // A hard stop is checked between batches, not per event: any check in this loop
            // measured 5–10 % of the per-event cost. What the worker holds is one drain of its
            // mailbox; everything still queued behind it is dropped and counted.
            let drained = batch.count
            // Each item is moved out of the batch, not copied: a copy retains every reference in
            // the event and the batch's clearing releases them again (7 % of a standard event's
            // cost in the profile).
            while let item = batch.popFirst() {
                switch item {
                case .event(let payload, _):
                    if let standardMetrics {
                        switch payload {
                        case .standard(let p): p.record(into: standardMetrics)
                        case .boxedStandard(let e): e.record(into: standardMetrics, exemplar: e.trace)
                        case .boxed(let e, let trace):
                            // A standard event emitted where its type was not known statically
                            // (a generic context): one dynamic cast.
                            (e as? any StandardEvent)?.record(into: standardMetrics, exemplar: trace)
                        }
                        handled.wrappingAdd(1, ordering: .relaxed)
                        continue
                    }
                    if let eventLog {
                        eventLog.append(payload)
                        handled.wrappingAdd(1, ordering: .relaxed)
                        continue
                    }
                    let event = payload.event
                    let trace: TraceReference?
                    if case .boxed(_, let t) = payload { trace = t } else { trace = event.trace }
                    do {
                        if let trace {
                            // Bound only for traced events: untraced delivery costs nothing extra.
                            try await TraceReference.$ofCurrentEvent.withValue(trace) { try await subscriber.handle(event) }
                        } else {
                            try await subscriber.handle(event)
                        }
                        handled.wrappingAdd(1, ordering: .relaxed)
                    } catch {
                        failures.wrappingAdd(1, ordering: .relaxed)
                        errorCounter?.increment()
                        // At most one log line per subscriber every 10 seconds; the counter has the full count.
                        let now = ContinuousClock.now
                        if lastErrorLog.map({ now - $0 >= .seconds(10) }) ?? true {
                            lastErrorLog = now
                            logger.error("subscriber \(subscriberName) failed on \(type(of: event).eventName): \(error); it keeps receiving events (further failures within 10 s are only counted)")
                        }
                    }
                case .barrier(let barrier):
                    barrier.arrive()
                }
            }
            let behind = drained >= 4096
            // Behind (a large batch): give other tasks a turn before the next one, so a
            // subscriber that never suspends cannot starve the endpoint or the agent.
            if behind { await Task.yield() }
        }
    }

    private func discard(_ items: Deque<BusItem>) {
        var counts: [ObjectIdentifier: (name: String, count: Int)] = [:]
        for item in items {
            switch item {
            case .event(let payload, let id): counts[id, default: (payload.eventType.eventName, 0)].count += 1
            case .barrier(let b): b.arrive()
            }
        }
        for (_, entry) in counts { observer?.dropped(eventName: entry.name, reason: .cancelled, count: entry.count) }
    }
}
