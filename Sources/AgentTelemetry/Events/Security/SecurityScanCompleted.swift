/// A security scan finished.
public struct SecurityScanCompleted: TelemetryEvent {
    public static let eventName = "security_scan_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Scanner name.
    public var scanner: String
    /// How long it took.
    public var duration: Duration
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(scanner: String, duration: Duration, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.scanner = scanner
        self.duration = duration
        self.outcome = outcome
        self.timestamp = timestamp
    }
}
