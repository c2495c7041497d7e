/// What the bus does when its buffer is full. `emit` never waits, whatever the policy: telemetry
/// must not block the code it observes.
public enum OverflowPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Discard the oldest buffered event to make room (keeps the most recent picture).
    case dropOldest = "drop_oldest"
    /// Discard the event being emitted.
    case dropNewest = "drop_newest"
}
