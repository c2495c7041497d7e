/// An event the standard subscriber turns into catalog metrics.
///
/// Adding a standard event is one file: the event type, its catalog entries (`metrics`) and
/// `record(into:)`, plus its name in `MetricCatalog.standardEventTypes`.
public protocol StandardEvent: TelemetryEvent {
    /// The catalog entries this event drives.
    static var metrics: [MetricDescriptor] { get }
    /// Updates the standard metrics for this event.
    func record(into metrics: StandardMetrics)
}

extension StandardEvent {
    /// Forwards to `record(into:)`.
    public func recordStandardMetrics(into metrics: StandardMetrics) { record(into: metrics) }
}
