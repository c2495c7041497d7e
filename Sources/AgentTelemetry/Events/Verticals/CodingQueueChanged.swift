/// The number of code analyses waiting to run changed.
public struct CodingQueueChanged: TelemetryEvent {
    public static let eventName = "coding_queue_changed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Analyses waiting.
    public var pending: Int

    /// Creates the event.
    public init(pending: Int, timestamp: EventTimestamp = .now) {
        self.pending = pending
        self.timestamp = timestamp
    }
}
