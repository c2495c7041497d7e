/// The DevOps vertical acted on containers.
public struct ContainersManaged: TelemetryEvent {
    public static let eventName = "containers_managed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// What was done (`start`, `stop`, `restart`, `scale`).
    public var action: String
    /// How many containers.
    public var count: Int

    /// Creates the event.
    public init(action: String, count: Int, timestamp: EventTimestamp = .now) {
        self.action = action
        self.count = count
        self.timestamp = timestamp
    }
}
