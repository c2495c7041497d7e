/// A typed domain event published by agent code.
///
/// Conforming types are small `Sendable` value types: plain data, knowing nothing of metrics (the
/// catalog maps the standard events to metrics, in `Catalog/Standard`). `eventName` is stable across releases
/// (it appears in metrics labels and logs); `timestamp` is when the thing happened.
public protocol TelemetryEvent: Sendable {
    /// A stable, snake_case name for this kind of event, e.g. `tool_executed`.
    static var eventName: String { get }
    /// When the event happened.
    var timestamp: EventTimestamp { get }
    /// The trace and span this event's exemplars point to, set explicitly by the code that made
    /// the event. Nil (the default) lets `emit` ask the configured `ExemplarSource` for the trace
    /// current in the emitting task.
    var trace: TraceReference? { get }
}

extension TelemetryEvent {
    /// The stable name of this event's type.
    @inlinable public var eventName: String { Self.eventName }

    /// No explicit trace: `emit` asks the exemplar source.
    public var trace: TraceReference? { nil }
}

/// A wall-clock instant in nanoseconds since the Unix epoch.
public struct EventTimestamp: Sendable, Hashable, Comparable, Codable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: UInt64

    /// Creates a timestamp.
    @inlinable public init(nanosecondsSinceEpoch: UInt64) { self.nanosecondsSinceEpoch = nanosecondsSinceEpoch }

    /// The current time.
    @inlinable public static var now: EventTimestamp { EventTimestamp(nanosecondsSinceEpoch: WallClock.nowNanoseconds()) }

    /// Seconds since the epoch.
    public var secondsSinceEpoch: Double { Double(nanosecondsSinceEpoch) / 1e9 }

    public static func < (lhs: EventTimestamp, rhs: EventTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}
