import AgentTelemetry
import Synchronization

/// A clock that moves only when told to: inject it where the library reads time and test
/// time-based behaviour (durations, session idle expiry, interval work) without waiting.
///
/// It is a Swift `Clock` (for `PeriodicRunner`), and `telemetryClock` gives the same time to
/// `TelemetryConfiguration.clock`. Sleepers wake when `advance(by:)` moves time past their
/// deadline, or when their task is cancelled. Safe to use from many tasks; share one per test.
public final class ManualClock: Clock, Sendable {
    /// A point on the manual clock's timeline.
    public struct Instant: InstantProtocol, Sendable {
        /// Time since the clock's origin.
        public var offset: Duration

        /// Creates an instant `offset` after the origin.
        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private struct Sleeper {
        let id: UInt64
        let deadline: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Tasks waiting for a number of sleepers.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Removes and returns the watchers whose count is reached.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let n = sleepers.count
            let ready = watchers.filter { $0.count <= n }.map(\.continuation)
            watchers.removeAll { $0.count <= n }
            return ready
        }
    }

    private let state: Mutex<State>

    /// Creates a clock at `start` after its origin.
    public init(start: Duration = .zero) { state = Mutex(State(now: start)) }

    /// The current instant.
    public var now: Instant { Instant(offset: state.withLock { $0.now }) }

    /// The resolution: any duration can be advanced.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Tasks currently sleeping on this clock (lets a test wait until a loop is parked before advancing).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The same time for `TelemetryConfiguration.clock` (durations, session expiry, CPU ratio)
    /// and the exporters' `clock:` (their intervals): sleeps on it end when `advance(by:)` says so.
    public var telemetryClock: TelemetryClock {
        TelemetryClock(now: { [self] in self.state.withLock { $0.now } },
                       sleepUntil: { [self] deadline in try await self.sleep(until: Instant(offset: deadline), tolerance: nil) })
    }

    /// Returns once at least `count` tasks sleep on this clock: a loop has parked and the next
    /// `advance(by:)` will reach it. After an advance, waiting for the loop's next sleep is how a
    /// test knows its tick has run. Suspends without polling.
    public func waitForSleepers(_ count: Int = 1) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.sleepers.count >= count { return true }
                s.watchers.append((count, c))
                return false
            }
            if now { c.resume() }
        }
    }

    /// Moves time forward by `duration` and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { s -> [Sleeper] in
            s.now += max(.zero, duration)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until `advance(by:)` reaches `deadline`; throws `CancellationError` when cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { s in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline.offset <= s.now { return .success(()) }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline.offset, continuation: c))
                    return nil
                }
                if let resume { c.resume(with: resume) } else { for w in state.withLock({ $0.satisfiedWatchers() }) { w.resume() } }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return s.sleepers.remove(at: i)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
