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
    /// The standard catalog's dispatch hook; not for other code. A standard event records itself
    /// into the catalog's metrics (`StandardEvent`); every other event keeps the default, which does
    /// nothing. The metrics are passed opaquely so that events do not depend on the catalog, while
    /// the standard subscriber still reaches `record(into:)` through one witness call (~11 ns)
    /// instead of a dynamic cast or a table lookup (~60–120 ns, measured).
    func _recordStandardMetrics(_ metrics: AnyObject, exemplar: TraceReference?)
    /// The bus's hook; not for other code. Standard events return themselves as a by-value
    /// payload, with `trace` (when given) as their own so that the bus stores the trace once per
    /// item, and the bus stores the payload without an existential box (no allocation per
    /// event); every other event keeps the default, nil, and travels as `any TelemetryEvent`.
    func _busPayload(trace: TraceReference?) -> _StandardEventPayload?
}

extension TelemetryEvent {
    /// The stable name of this event's type.
    @inlinable public var eventName: String { Self.eventName }

    /// No explicit trace: `emit` asks the exemplar source.
    public var trace: TraceReference? { nil }

    /// Events outside the standard catalog update no standard metric.
    public func _recordStandardMetrics(_ metrics: AnyObject, exemplar: TraceReference?) {}

    /// Events outside the standard catalog travel as existentials.
    public func _busPayload(trace: TraceReference?) -> _StandardEventPayload? { nil }
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
