/// The monotonic clock the library reads: durations measured by `track`, session idle expiry and
/// the CPU-usage ratio. Production uses the continuous clock; a test injects a manual one (see
/// `AgentTelemetryTesting`) and moves time forward instead of waiting for it.
public struct TelemetryClock: Sendable {
    private let read: @Sendable () -> Duration

    /// A clock reading `read`: time since an arbitrary, fixed origin; it must never go backwards.
    public init(_ read: @escaping @Sendable () -> Duration) { self.read = read }

    /// Time since the clock's origin. Cost: one call of the reading closure.
    @inline(__always) public var now: Duration { read() }

    /// The process's continuous clock (monotonic, counts time asleep).
    public static let continuous: TelemetryClock = {
        let origin = ContinuousClock.now
        return TelemetryClock { ContinuousClock.now - origin }
    }()
}
