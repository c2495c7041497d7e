import ServiceLifecycle

/// Runs interval work for a service — exports, file writes, flushes, collectors — in the
/// service's own task, and makes one final run when it stops.
///
/// Ticks come at a fixed rate (`interval` after the start, then every `interval`); ticks missed
/// while a slow run was going on are skipped, not replayed. The loop ends on graceful shutdown
/// (swift-service-lifecycle's) or cancellation, and `final` then runs once. On graceful shutdown
/// the final run is not cancelled; after a cancellation it runs in a cancelled task, so work that
/// honours cancellation (an HTTP request) ends early — cancellation means "stop now".
///
/// The clock is injectable so that tests drive time instead of waiting for it.
public struct PeriodicRunner<C: Clock>: Sendable where C.Duration == Duration {
    /// Time between runs.
    public let interval: Duration
    /// The clock ticks are read from.
    public let clock: C

    /// Creates a runner on `clock`.
    public init(interval: Duration, clock: C) {
        self.interval = interval
        self.clock = clock
    }

    /// Runs `tick` every `interval` until graceful shutdown or cancellation, then `final` once.
    /// Cost: one timer sleep per tick; nothing runs between ticks.
    public func run(tick: () async -> Void, final: () async -> Void) async {
        guard interval > .zero else {
            await final()
            return
        }
        var next = clock.now.advanced(by: interval)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let deadline = next
            do {
                try await cancelWhenGracefulShutdown { [clock] in
                    try await clock.sleep(until: deadline, tolerance: nil)
                }
            } catch {
                break
            }
            await tick()
            let now = clock.now
            repeat { next = next.advanced(by: interval) } while next <= now
        }
        await final()
    }

    /// Runs `tick` every `interval` until graceful shutdown or cancellation, and once more at the end.
    public func run(_ tick: () async -> Void) async {
        await run(tick: tick, final: tick)
    }
}

extension PeriodicRunner where C == ContinuousClock {
    /// Creates a runner on the continuous clock.
    public init(interval: Duration) {
        self.init(interval: interval, clock: ContinuousClock())
    }
}
