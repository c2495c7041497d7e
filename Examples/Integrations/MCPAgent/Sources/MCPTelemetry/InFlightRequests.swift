import AgentTelemetry

/// The requests a transport has seen leave (or arrive) and has not yet seen answered, bounded in
/// count and in age.
///
/// - An entry lives until its response, its cancellation, its deadline (`timeout` after it
///   started) or, when `capacity` entries are already in flight, the arrival of a newer request
///   (the oldest is given up on then). Whoever takes an entry out records its outcome, so every
///   request is counted once and none stays behind.
/// - Deadlines are kept in arrival order: with one timeout for all, the oldest deadline is always
///   at the front, so expiry looks at the front only. Answered requests leave a stale slot in that
///   order until it is reached or compacted, which happens once stale slots outnumber twice the
///   capacity; memory is therefore bounded by the capacity, whatever the rate.
struct InFlightRequests<Instant: InstantProtocol> where Instant.Duration == Duration {
    /// Which request: its direction (sent by this side, or received) and its JSON-RPC id as written.
    struct Key: Hashable {
        var outgoing: Bool
        var id: String
    }

    /// What is known of a request until its response.
    struct Entry {
        var method: String
        var toolName: String?
        var start: Instant
        var trace: TraceReference?
        /// The agent whose `track(agent:)` enclosed the sender (outgoing requests only).
        var agent: String?
        var outgoing: Bool
        var serial: UInt64 = 0
    }

    private struct Slot {
        var key: Key
        var serial: UInt64
        var deadline: Instant
    }

    /// Most requests in flight at once.
    let capacity: Int
    /// How long a request may stay unanswered.
    let timeout: Duration
    private var entries: [Key: Entry] = [:]
    private var order: [Slot] = []
    private var head = 0
    private var nextSerial: UInt64 = 0

    init(capacity: Int, timeout: Duration) {
        self.capacity = max(1, capacity)
        self.timeout = timeout
    }

    /// Requests in flight.
    var count: Int { entries.count }
    /// Deadline slots held, stale ones included (bounded by about three times the capacity).
    var slotCount: Int { order.count - head }

    /// Starts tracking a request. Returns the entries it displaced: one with the same key (a
    /// reused id) and, when the table was full, the oldest one.
    mutating func insert(_ key: Key, _ entry: Entry) -> [Entry] {
        var displaced: [Entry] = []
        if let previous = entries.removeValue(forKey: key) { displaced.append(previous) }
        if entries.count >= capacity, let oldest = removeOldest() { displaced.append(oldest) }
        nextSerial &+= 1
        var entry = entry
        entry.serial = nextSerial
        entries[key] = entry
        order.append(Slot(key: key, serial: nextSerial, deadline: entry.start.advanced(by: timeout)))
        compactIfMostlyStale()
        return displaced
    }

    /// Stops tracking `key` (answered or cancelled) and returns what was known of it.
    mutating func remove(_ key: Key) -> Entry? {
        entries.removeValue(forKey: key)
    }

    /// Takes out every request whose deadline is at or before `now`, oldest first.
    mutating func expire(now: Instant) -> [Entry] {
        var expired: [Entry] = []
        while head < order.count, order[head].deadline <= now {
            let slot = order[head]
            head += 1
            if let entry = entries[slot.key], entry.serial == slot.serial {
                entries.removeValue(forKey: slot.key)
                expired.append(entry)
            }
        }
        trimHead()
        return expired
    }

    /// Takes out everything (the connection ended).
    mutating func removeAll() -> [Entry] {
        let all = order[head...].compactMap { slot in
            entries[slot.key].flatMap { $0.serial == slot.serial ? $0 : nil }
        }
        entries.removeAll()
        order.removeAll()
        head = 0
        return all
    }

    private mutating func removeOldest() -> Entry? {
        while head < order.count {
            let slot = order[head]
            head += 1
            if let entry = entries[slot.key], entry.serial == slot.serial {
                entries.removeValue(forKey: slot.key)
                trimHead()
                return entry
            }
        }
        trimHead()
        return nil
    }

    private mutating func trimHead() {
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    private mutating func compactIfMostlyStale() {
        guard order.count - head > 3 * capacity else { return }
        order = order[head...].filter { entries[$0.key]?.serial == $0.serial }
        head = 0
    }
}
