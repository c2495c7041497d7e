import DequeModule
import Synchronization

/// An item travelling through the bus: an event (with its type's identifier), or a flush barrier.
enum BusItem: Sendable {
    /// An event and its type.
    case event(EventPayload, ObjectIdentifier)
    case barrier(FlushBarrier)
}

/// An event in the bus: a standard event by value (no allocation), any other as an existential
/// (one allocation when the event is larger than three words). The trace captured at `emit` is
/// stored once: in a standard event's own `trace`, beside any other.
enum EventPayload: Sendable {
    /// An event outside the catalog (or a standard one emitted through `any TelemetryEvent` or a
    /// generic context that does not know it is standard), and the trace for its exemplars.
    case boxed(any TelemetryEvent, TraceReference?)
    /// A standard event boxed once at `emit`, because a subscriber that takes existentials is
    /// registered (it would box it anyway); the standard subscriber still records it through
    /// its witness, without a dynamic cast. Its trace is its own.
    case boxedStandard(any StandardEvent)
    /// A standard event by value.
    case standard(StandardEventPayload)

    /// Any event, boxed with its trace (tests of the buffer); a standard one by value goes through the overload below.
    init<E: TelemetryEvent>(_ event: E, trace: TraceReference? = nil) {
        self = .boxed(event, trace ?? event.trace)
    }

    /// A standard event by value.
    @inline(__always)
    init<E: StandardEvent>(_ event: E, trace: TraceReference? = nil) {
        self = .standard(StandardEventPayload(event, trace: trace))
    }

    /// The event as an existential (boxing a standard event: one allocation).
    var event: any TelemetryEvent {
        switch self {
        case .boxed(let e, _): e
        case .boxedStandard(let e): e
        case .standard(let p): p.event
        }
    }

    /// The event's type.
    var eventType: any TelemetryEvent.Type {
        switch self {
        case .boxed(let e, _): type(of: e)
        case .boxedStandard(let e): type(of: e)
        case .standard(let p): p.eventType
        }
    }
}

/// A run of consecutive events of one type, as the central buffer received them.
struct TypeRun {
    var type: any TelemetryEvent.Type
    var count: Int
}

/// A bounded multi-producer, single-consumer queue guarded by a `Mutex`.
///
/// Producers append under the lock and return; the consumer swaps the whole buffer out in one
/// step (double buffering, so steady state allocates nothing) and is woken through a stored
/// continuation only when it was idle. Barriers bypass the capacity and are never dropped.
final class BoundedBuffer: Sendable {
    struct State: ~Copyable {
        var items = Deque<BusItem>()
        var eventCount = 0
        var waiter: CheckedContinuation<Void, Never>?
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var closed = false
        /// Events per type in arrival order (central buffer only), so the dispatcher can count
        /// emitted events per type without touching each item.
        var runs: [TypeRun] = []
        /// Barriers currently buffered.
        var barriers = 0
    }

    enum PushResult {
        case accepted
        /// The new item was not accepted (buffer full, or closed).
        case rejected(closed: Bool)
        /// The new item was accepted and this older one was discarded to make room.
        case displaced(BusItem)
        /// The buffer is full and the policy is to wait.
        case full
    }

    let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        var s = State()
        s.items.reserveCapacity(min(self.capacity, 4096))
        self.state = Mutex(s)
    }

    /// What `push` does when the buffer is full.
    enum PushPolicy {
        case dropOldest, dropNewest
        /// Report `.full` and let the caller wait for room (only the draining dispatcher does).
        case reportFull

        init(_ policy: OverflowPolicy) {
            switch policy {
            case .dropOldest: self = .dropOldest
            case .dropNewest: self = .dropNewest
            }
        }
    }

    /// Appends an event according to `policy`, copying it (the bus moves its items with the
    /// `inout` overload below).
    func push(_ item: BusItem, type: (any TelemetryEvent.Type)? = nil, policy: PushPolicy) -> PushResult {
        var slot: BusItem? = item
        return push(&slot, type: type, policy: policy)
    }

    /// Appends an event according to `policy`; `type` (the event's type) feeds the per-type runs.
    /// The item is moved out of `slot` when it is stored (no copy: a copy retains every reference
    /// in the event and the caller's release of its own follows); `slot` still holds it when the
    /// result is `.rejected` or `.full`.
    func push(_ slot: inout BusItem?, type: (any TelemetryEvent.Type)? = nil, policy: PushPolicy) -> PushResult {
        let (result, wake) = state.withLock { s -> (PushResult, CheckedContinuation<Void, Never>?) in
            if s.closed { return (.rejected(closed: true), nil) }
            var result = PushResult.accepted
            if s.eventCount >= capacity {
                switch policy {
                case .dropNewest: return (.rejected(closed: false), nil)
                case .reportFull: return (.full, nil)
                case .dropOldest:
                    // Remove the oldest event; barriers stay in place.
                    if let i = s.items.firstIndex(where: { if case .event = $0 { true } else { false } }) {
                        result = .displaced(s.items.remove(at: i))
                        s.eventCount -= 1
                        // The oldest event belongs to the first run.
                        if !s.runs.isEmpty {
                            s.runs[0].count -= 1
                            if s.runs[0].count == 0 { s.runs.removeFirst() }
                        }
                    }
                }
            }
            guard let item = slot.take() else { return (result, nil) }
            s.items.append(item)
            s.eventCount += 1
            if let type {
                if let last = s.runs.indices.last, s.runs[last].type == type {
                    s.runs[last].count += 1
                } else {
                    s.runs.append(TypeRun(type: type, count: 1))
                }
            }
            let w = s.waiter
            s.waiter = nil
            return (result, w)
        }
        wake?.resume()
        return result
    }

    /// Appends several events (already filtered by the caller) with one lock acquisition.
    /// Returns the events that were discarded to respect the capacity.
    func pushAll(_ items: some Sequence<BusItem>, policy: OverflowPolicy, dropped: inout [BusItem]) {
        let wake = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.closed {
                // A closed mailbox belongs to a cancelled subscription: its events are not
                // delivered on purpose and are not counted as drops; barriers pass through.
                for item in items {
                    if case .barrier(let b) = item { b.arrive() }
                }
                return nil
            }
            for item in items {
                if case .barrier = item {
                    s.items.append(item)
                    continue
                }
                if s.eventCount >= capacity {
                    if policy == .dropOldest,
                       let i = s.items.firstIndex(where: { if case .event = $0 { true } else { false } }) {
                        dropped.append(s.items.remove(at: i))
                        s.eventCount -= 1
                    } else {
                        dropped.append(item)
                        continue
                    }
                }
                s.items.append(item)
                s.eventCount += 1
            }
            let w = s.waiter
            s.waiter = nil
            return w
        }
        wake?.resume()
    }

    /// Appends every item, waiting for room instead of dropping (used while the bus drains on
    /// shutdown, when everything accepted must reach the subscriber). Returns when all items are
    /// in, or at once if the buffer is closed.
    func pushAllWaiting(_ items: some Sequence<BusItem>) async {
        for item in items {
            switch item {
            case .barrier(let b):
                if !pushBarrier(b) { b.arrive() }
            case .event:
                while true {
                    switch push(item, policy: .reportFull) {
                    case .accepted, .displaced, .rejected: break
                    case .full:
                        await waitForSpace()
                        continue
                    }
                    break
                }
            }
        }
    }

    /// Hands a whole batch over without copying its items when the buffer is empty and the batch
    /// fits: the two storages are swapped (the caller gets this buffer's empty storage back).
    /// Returns false, touching nothing, when that is not possible; the caller then copies.
    func takeIfEmpty(_ batch: inout Deque<BusItem>, events: Int) -> Bool {
        let (taken, wake) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !s.closed, s.items.isEmpty, events <= capacity else { return (false, nil) }
            swap(&s.items, &batch)
            s.eventCount = events
            let w = s.waiter
            s.waiter = nil
            return (true, w)
        }
        wake?.resume()
        return taken
    }

    /// Appends a barrier regardless of capacity. Returns false when the buffer is closed.
    func pushBarrier(_ barrier: FlushBarrier) -> Bool {
        let (ok, wake) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            if s.closed { return (false, nil) }
            s.items.append(.barrier(barrier))
            s.barriers += 1
            let w = s.waiter
            s.waiter = nil
            return (true, w)
        }
        wake?.resume()
        return ok
    }

    /// Suspends until the buffer has room (or is closed).
    func waitForSpace() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.closed || s.eventCount < capacity { return true }
                s.spaceWaiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    /// Like `next(into:)`, also handing over the per-type runs (`runs` must be empty) and the
    /// number of barriers in the batch.
    func next(into batch: inout Deque<BusItem>, runs: inout [TypeRun], barriers: inout Int) async -> Bool {
        while true {
            var spaceWaiters: [CheckedContinuation<Void, Never>] = []
            let status = state.withLock { s -> Int in
                if !s.items.isEmpty {
                    swap(&s.items, &batch)
                    swap(&s.runs, &runs)
                    barriers = s.barriers
                    s.barriers = 0
                    s.eventCount = 0
                    swap(&spaceWaiters, &s.spaceWaiters)
                    return 1
                }
                return s.closed ? 2 : 0
            }
            for w in spaceWaiters { w.resume() }
            if status == 1 { return true }
            if status == 2 { return false }
            await waitForItems()
        }
    }

    private func waitForItems() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if !s.items.isEmpty || s.closed { return true }
                s.waiter = c
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    /// Moves everything buffered into `batch` (which must be empty), waiting while there is
    /// nothing. Returns false once the buffer is closed and fully drained. (Mailboxes: they keep
    /// no runs, so none are handed over.)
    func next(into batch: inout Deque<BusItem>) async -> Bool {
        var runs: [TypeRun] = []
        var barriers = 0
        return await next(into: &batch, runs: &runs, barriers: &barriers)
    }

    /// Closes the buffer and takes everything still in it (a hard stop: the caller counts the
    /// events as dropped and lets barriers pass).
    func closeAndTakeAll() -> Deque<BusItem> {
        var taken: Deque<BusItem>? = Deque()
        close(taking: &taken)
        return taken ?? Deque()
    }

    /// Refuses further items; the consumer drains what is left and then sees the end.
    func close() {
        var nothing: Deque<BusItem>?
        close(taking: &nothing)
    }

    /// Closes, wakes every waiter, and, when `taken` is given, moves what is buffered into it.
    private func close(taking taken: inout Deque<BusItem>?) {
        let (wake, spaceWaiters) = state.withLock { s -> (CheckedContinuation<Void, Never>?, [CheckedContinuation<Void, Never>]) in
            s.closed = true
            if taken != nil {
                var items = Deque<BusItem>()
                swap(&s.items, &items)
                taken = items
                s.eventCount = 0
                s.runs.removeAll()
                s.barriers = 0
            }
            let w = s.waiter
            s.waiter = nil
            let sw = s.spaceWaiters
            s.spaceWaiters = []
            return (w, sw)
        }
        wake?.resume()
        for w in spaceWaiters { w.resume() }
    }

    /// Events currently buffered.
    var depth: Int { state.withLock { $0.eventCount } }

    var isClosed: Bool { state.withLock { $0.closed } }
}
