/// What the bus does when its buffer is full.
public enum OverflowPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Discard the oldest buffered event to make room (keeps the most recent picture).
    case dropOldest = "drop_oldest"
    /// Discard the event being emitted.
    case dropNewest = "drop_newest"
    /// `send(_:)` suspends the emitting task until there is room. The synchronous `emit(_:)`
    /// cannot suspend, so under this policy it discards the new event (counted) instead.
    case suspend
}
