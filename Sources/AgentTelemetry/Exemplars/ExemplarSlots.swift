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
}

/// A series' lazily allocated exemplar slots, published once with a compare-and-exchange.
struct ExemplarStorage: ~Copyable, Sendable {
    private let reference = Atomic<Unmanaged<ExemplarSlots>?>(nil)
    private let count: Int

    init(count: Int) { self.count = count }

    deinit {
        reference.load(ordering: .acquiring)?.release()
    }

    /// Stores `exemplar` as the latest of slot `index`, allocating the slots on first use.
    func store(_ exemplar: Exemplar, at index: Int) {
        slots().store(exemplar, at: index)
    }

    /// The latest exemplar of each slot (nil where there is none); empty when the series never
    /// recorded one. No allocation and no lock in that case.
    func read() -> [Exemplar?] {
        guard let slots = reference.load(ordering: .acquiring) else { return [] }
        return slots._withUnsafeGuaranteedRef { $0.read() }
    }

    private func slots() -> ExemplarSlots {
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
