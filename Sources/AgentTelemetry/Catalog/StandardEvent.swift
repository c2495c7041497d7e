/// The catalog side of a standard event: the metrics it drives and how.
///
/// Events themselves are plain data (`Sources/AgentTelemetry/Events`); each standard event's
/// conformance lives in `Catalog/Standard/<Event>+Catalog.swift` with its descriptors and
/// `record(into:)`. Adding a standard event is the event file, its catalog file, its name in
/// `MetricCatalog.standardEventTypes`, and its case in `_StandardEventPayload` (so that the bus
/// carries it without an allocation).
public protocol StandardEvent: TelemetryEvent {
    /// The catalog entries this event drives.
    static var metrics: [MetricDescriptor] { get }
    /// Updates the standard metrics for this event; histograms and counters keep `exemplar`
    /// (when given) as their latest exemplar.
    func record(into metrics: StandardMetrics, exemplar: TraceReference?)
}

extension StandardEvent {
    /// Records the event when `metrics` is the catalog's `StandardMetrics` (see `TelemetryEvent`).
    public func _recordStandardMetrics(_ metrics: AnyObject, exemplar: TraceReference?) {
        if let metrics = metrics as? StandardMetrics { record(into: metrics, exemplar: exemplar) }
    }

    /// Updates the standard metrics with the event's own trace (if any) as exemplar.
    public func record(into metrics: StandardMetrics) { record(into: metrics, exemplar: trace) }
}
