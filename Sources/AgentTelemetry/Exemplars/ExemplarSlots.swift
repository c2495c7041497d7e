import Synchronization

/// The latest exemplar per slot of one series (one slot for a counter, one per bucket for a
/// histogram), allocated the first time the series records an exemplar.
///
/// A series holds it through `ExemplarStorage`: one atomic word, nil until a traced value
/// arrives, so a series that never sees a trace costs 8 bytes and observes without touching it.
final class ExemplarSlots: Sendable {
    private let slots: Mutex<[Exemplar?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ exemplar: Exemplar, at index: Int) {
        slots.withLock { s in
            if s.indices.contains(index) { s[index] = exemplar }
        }
    }

    func read() -> [Exemplar?] { slots.withLock { $0 } }

    func read(at index: Int) -> Exemplar? {
        slots.withLock { s in s.indices.contains(index) ? s[index] : nil }
    }
}

/// A series' lazily allocated exemplar slots, published once with a compare-and-exchange.
struct ExemplarStorage: ~Copyable, Sendable {
    private let reference = Atomic<Unmanaged<ExemplarSlots>?>(nil)

    init() {}

    deinit {
        reference.load(ordering: .acquiring)?.release()
    }

    /// Stores `exemplar` as the latest of slot `index`, allocating `count` slots on first use
    /// (the series passes its slot count, so the storage itself is one word).
    func store(_ exemplar: Exemplar, at index: Int, of count: Int) {
        slots(count).store(exemplar, at: index)
    }

    /// The latest exemplar of each slot (nil where there is none); empty when the series never
    /// recorded one. No allocation and no lock in that case.
    func read() -> [Exemplar?] {
        guard let slots = reference.load(ordering: .acquiring) else { return [] }
        return slots._withUnsafeGuaranteedRef { $0.read() }
    }

    /// The latest exemplar of slot `index`, without copying the others (a counter's one slot).
    func read(at index: Int) -> Exemplar? {
        guard let slots = reference.load(ordering: .acquiring) else { return nil }
        return slots._withUnsafeGuaranteedRef { $0.read(at: index) }
    }

    private func slots(_ count: Int) -> ExemplarSlots {
        if let existing = reference.load(ordering: .acquiring) { return existing.takeUnretainedValue() }
        let fresh = Unmanaged.passRetained(ExemplarSlots(count: count))
        let (won, current) = reference.compareExchange(
            expected: nil, desired: fresh, successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
        if won { return fresh.takeUnretainedValue() }
        fresh.release()
        // The loser uses the winner's slots; `current` is non-nil because the exchange failed.
        return current?.takeUnretainedValue() ?? fresh.takeUnretainedValue()
    }
}
