/// Why the bus discarded an event (the `reason` label of `agent_telemetry_events_dropped_total`).
enum DropReason: String, Sendable {
    /// The central buffer was full.
    case bufferFull = "buffer_full"
    /// Emitted after the bus began shutting down.
    case shutdown
    /// A subscriber's mailbox was full (that subscriber is too slow).
    case subscriberMailboxFull = "subscriber_mailbox_full"
    /// Still queued when the bus was cancelled (a hard stop, not a graceful one).
    case cancelled
}

/// Where the bus reports what it did. The bus itself knows nothing of metrics: `Telemetry`
/// gives it an observer that writes into the registry (`BusMetrics`).
protocol EventBusObserver: Sendable {
    /// The series counting emitted events of one type; resolved once per type by the dispatcher.
    func emittedCounter(eventName: String) -> CounterSeries?
    /// Counts `count` discarded events of one type.
    func dropped(eventName: String, reason: DropReason, count: Int)
    /// The series counting one subscriber's failures; resolved once per subscription.
    func errorCounter(subscriber: String) -> CounterSeries?
}
