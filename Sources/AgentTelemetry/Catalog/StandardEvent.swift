/// The catalog side of a standard event: the metrics it drives and how.
///
/// Events themselves are plain data (`Sources/AgentTelemetry/Events`); each standard event's
/// conformance lives in `Catalog/Standard/<Event>+Catalog.swift` with its descriptors and
/// `record(into:exemplar:)`, and its line in each part of `Catalog/StandardEventRegistry.swift`:
/// three files in all (docs/ARCHITECTURE.md, "Adding a standard event").
///
/// Only this package's events are standard: ``busCase`` is a ``StandardEventCase``, which nothing
/// outside the package can make. Your own events conform to ``TelemetryEvent`` alone and reach
/// your subscribers; the catalog's metrics are updated from the standard ones.
public protocol StandardEvent: TelemetryEvent {
    /// The catalog entries this event drives.
    static var metrics: [MetricDescriptor] { get }
    /// Updates the standard metrics for this event; histograms and counters keep `exemplar`
    /// (when given) as their latest exemplar.
    func record(into metrics: StandardMetrics, exemplar: TraceReference?)
    /// The trace this event's exemplars point to; `emit` sets it to the trace current in the
    /// emitting task when the event carries none.
    var trace: TraceReference? { get set }
    /// How the bus carries an event of this type by value (defined in `StandardEventRegistry.swift`).
    static var busCase: StandardEventCase<Self> { get }
}

extension StandardEvent {
    /// Updates the standard metrics with the event's own trace (if any) as exemplar.
    public func record(into metrics: StandardMetrics) { record(into: metrics, exemplar: trace) }
}

/// How the bus carries a standard event of type `Event` by value, without an existential box.
/// Opaque: only this package makes one, so the by-value path is closed to events outside the
/// catalog (they travel as `any TelemetryEvent`, which costs one allocation when they are larger
/// than three words).
public struct StandardEventCase<Event: StandardEvent>: Sendable {
    let wrap: @Sendable (Event) -> StandardEventPayload

    package init(_ wrap: @escaping @Sendable (Event) -> StandardEventPayload) { self.wrap = wrap }
}

extension StandardEventPayload {
    /// `event` by value, with `trace` (when given) as its own, so that the bus stores the trace
    /// once per item.
    @inline(__always)
    init<E: StandardEvent>(_ event: E, trace: TraceReference?) {
        var e = event
        if let trace { e.trace = trace }
        self = E.busCase.wrap(e)
    }
}
