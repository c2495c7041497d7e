import Synchronization

/// The process-wide default telemetry, like swift-log's `LoggingSystem` and swift-metrics'
/// `MetricsSystem`: install one at start-up, then emit from anywhere without passing a handle.
///
/// Before `bootstrap` (and in tests that never call it) events sent through `TelemetrySystem.emit`
/// are discarded silently; tests should use their own `Telemetry` instances.
public enum TelemetrySystem {
    private static let current = Mutex<Telemetry?>(nil)

    /// Installs `telemetry` as the process-wide default, replacing any previous one.
    public static func bootstrap(_ telemetry: Telemetry) {
        current.withLock { $0 = telemetry }
    }

    /// The installed telemetry, if any.
    public static var shared: Telemetry? { current.withLock { $0 } }

    /// Emits through the installed telemetry; a no-op when none is installed.
    public static func emit<E: TelemetryEvent>(_ event: E) {
        shared?.emit(event)
    }

    /// Emits a standard event through the installed telemetry (by value); a no-op when none is installed.
    public static func emit<E: StandardEvent>(_ event: E) {
        shared?.emit(event)
    }

    /// Where a session stands against the installed telemetry's session budgets
    /// (`Telemetry.budget(session:)`); ``BudgetStatus/unlimited`` when none is installed.
    public static func budget(session: String) -> BudgetStatus {
        shared?.budget(session: session) ?? .unlimited
    }
}
