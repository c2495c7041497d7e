import Synchronization

/// The bounded queue between the update listener (any thread) and the sender.
///
/// `enqueue` takes a short lock and never waits: when the queue holds `capacity` entries the
/// entry is dropped and its lines counted in ``droppedLines``. When the queued bytes reach a full
/// datagram the sender is woken (once until the next drain) so that full datagrams leave early.
final class StatsDLineQueue: Sendable {
    private struct State {
        var entries: [[UInt8]] = []
        var bytes = 0
        var wakeRequested = false
        var wake: AsyncStream<Void>.Continuation?
    }

    let capacity: Int
    let wakeThreshold: Int
    private let state = Mutex<State>(State())
    /// Lines dropped because the queue was full and not yet published to the registry.
    let droppedLines = Atomic<Int>(0)

    init(capacity: Int, wakeThreshold: Int) {
        self.capacity = max(1, capacity)
        self.wakeThreshold = max(1, wakeThreshold)
    }

    /// Installs (or removes) the continuation that wakes the sender.
    func setWake(_ wake: AsyncStream<Void>.Continuation?) {
        state.withLock { $0.wake = wake }
    }

    /// Wakes the sender (once until the next drain), as a full datagram's worth does.
    func requestWake() {
        let wake = state.withLock { s -> AsyncStream<Void>.Continuation? in
            guard !s.wakeRequested else { return nil }
            s.wakeRequested = true
            return s.wake
        }
        wake?.yield()
    }

    /// Adds an entry of `lines` lines; returns `false` when the queue is full and it was dropped.
    @discardableResult
    func enqueue(_ entry: [UInt8], lines: Int) -> Bool {
        let (accepted, wake) = state.withLock { s -> (Bool, AsyncStream<Void>.Continuation?) in
            guard s.entries.count < capacity else { return (false, nil) }
            s.entries.append(entry)
            s.bytes &+= entry.count &+ 1
            if s.bytes >= wakeThreshold, !s.wakeRequested {
                s.wakeRequested = true
                return (true, s.wake)
            }
            return (true, nil)
        }
        if !accepted { droppedLines.wrappingAdd(lines, ordering: .relaxed) }
        wake?.yield()
        return accepted
    }

    /// Adds the lines of an aggregated flush without the capacity check: there is at most one per
    /// series that changed (which the registry's cardinality limit bounds) plus the packed
    /// histogram values (which the aggregator bounds), and a flush must not lose a counter's sum
    /// because many histogram values came first.
    func enqueueFlushed(_ entries: [[UInt8]]) {
        guard !entries.isEmpty else { return }
        state.withLock { s in
            s.entries.append(contentsOf: entries)
            for entry in entries { s.bytes &+= entry.count &+ 1 }
        }
    }

    /// Takes every queued entry, oldest first.
    func drain() -> [[UInt8]] {
        state.withLock { s in
            s.bytes = 0
            s.wakeRequested = false
            var out: [[UInt8]] = []
            swap(&out, &s.entries)
            s.entries.reserveCapacity(min(capacity, max(16, out.count)))
            return out
        }
    }

    /// Number of queued entries.
    var count: Int { state.withLock { $0.entries.count } }
}
