/// The agent ran a self-improvement loop (reflect, critique, retry).
public struct SelfImprovementLoop: TelemetryEvent {
    public static let eventName = "self_improvement_loop"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Whether the loop improved the result.
    public var outcome: Outcome
    /// How many iterations it took.
    public var iterations: Int

    /// Creates the event.
    public init(outcome: Outcome, iterations: Int = 1, timestamp: EventTimestamp = .now) {
        self.outcome = outcome
        self.iterations = iterations
        self.timestamp = timestamp
    }
}
