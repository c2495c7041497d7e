/// The monotonic clock the library reads: durations measured by `track`, session idle expiry,
/// the CPU-usage ratio and the intervals of the periodic exporters (OTLP, StatsD, textfile).
/// Production uses the continuous clock; a test injects a manual one (see
/// `AgentTelemetryTesting`) and moves time forward instead of waiting for it.
public struct TelemetryClock: Sendable {
    private let read: @Sendable () -> Duration
    private let sleeper: (@Sendable (Duration) async throws -> Void)?

    /// A clock reading `read`: time since an arbitrary, fixed origin; it must never go backwards.
    /// Sleeping on it waits the remaining time on the continuous clock.
    public init(_ read: @escaping @Sendable () -> Duration) {
        self.read = read
        self.sleeper = nil
    }

    /// A clock reading `read` whose sleeps end when `sleepUntil` returns: it is given a deadline
    /// on this clock's time line and must throw `CancellationError` when its task is cancelled.
    public init(now read: @escaping @Sendable () -> Duration,
                sleepUntil: @escaping @Sendable (Duration) async throws -> Void) {
        self.read = read
        self.sleeper = sleepUntil
    }

    /// Time since the clock's origin. Cost: one call of the reading closure.
    @inline(__always) public var now: Duration { read() }

    /// Suspends until the clock reaches `deadline` (time since its origin).
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Duration) async throws {
        if let sleeper { return try await sleeper(deadline) }
        let remaining = deadline - read()
        if remaining > .zero { try await Task.sleep(for: remaining) } else { try Task.checkCancellation() }
    }

    /// The process's continuous clock (monotonic, counts time asleep).
    public static let continuous: TelemetryClock = {
        let origin = ContinuousClock.now
        return TelemetryClock { ContinuousClock.now - origin }
    }()

    /// This clock as a Swift `Clock`, for `PeriodicRunner`.
    public var swiftClock: SwiftClock { SwiftClock(base: self) }

    /// A `TelemetryClock` seen as a Swift `Clock`.
    public struct SwiftClock: Clock, Sendable {
        /// A point on the clock's time line.
        public struct Instant: InstantProtocol, Sendable {
            /// Time since the clock's origin.
            public var offset: Duration
            public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
            public func duration(to other: Instant) -> Duration { other.offset - offset }
            public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
        }

        let base: TelemetryClock
        public var now: Instant { Instant(offset: base.now) }
        public var minimumResolution: Duration { .nanoseconds(1) }
        public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            try await base.sleep(until: deadline.offset)
        }
    }
}
