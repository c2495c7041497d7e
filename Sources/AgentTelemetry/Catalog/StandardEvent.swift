/// The catalog side of a standard event: the metrics it drives and how.
///
/// Events themselves are plain data (`Sources/AgentTelemetry/Events`); each standard event's
/// conformance lives in `Catalog/Standard/<Event>+Catalog.swift` with its descriptors and
/// `record(into:)`. Adding a standard event is the event file, its catalog file, and its name in
/// `MetricCatalog.standardEventTypes`.
public protocol StandardEvent: TelemetryEvent {
    /// The catalog entries this event drives.
    static var metrics: [MetricDescriptor] { get }
    /// Updates the standard metrics for this event.
    func record(into metrics: StandardMetrics)
}

/// Maps event types to their `record(into:)`, built once from `MetricCatalog.standardEventTypes`.
///
/// The standard subscriber receives `any TelemetryEvent`; looking the concrete type up in this
/// table and casting to it costs one hash lookup and one metadata comparison, no protocol
/// conformance search.
struct StandardRecorders: Sendable {
    typealias Recorder = @Sendable (any TelemetryEvent, StandardMetrics) -> Void
    private let table: [ObjectIdentifier: Recorder]

    init(_ types: [any StandardEvent.Type]) {
        var table: [ObjectIdentifier: Recorder] = [:]
        for type in types { table[ObjectIdentifier(type)] = Self.recorder(for: type) }
        self.table = table
    }

    private static func recorder<E: StandardEvent>(for type: E.Type) -> Recorder {
        { event, metrics in (event as? E)?.record(into: metrics) }
    }

    /// Records `event` when its type is a standard event; otherwise does nothing.
    @inline(__always) func record(_ event: any TelemetryEvent, into metrics: StandardMetrics) {
        table[ObjectIdentifier(type(of: event))]?(event, metrics)
    }
}
