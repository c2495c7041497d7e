/// The standard metric catalog: the single source of truth for metric names, types, help,
/// units, labels, buckets and categories.
public enum MetricCatalog {
    // `standardEventTypes`, the list of standard events, is in StandardEventRegistry.swift.

    /// The core's own metrics, each declared by its owner: the bus's and the registry's.
    /// Exporters declare theirs as `TelemetryExporter.selfMetrics`; the runtime's `TelemetryCatalog`
    /// collects everything for the generated documents.
    public static let pipeline: [MetricDescriptor] = BusMetrics.all + MetricRegistry.selfMetrics + BudgetLedger.metrics

    /// Every descriptor of the core, in catalog order, each once: event-driven ones, then the
    /// process sampler's, then the core pipeline's own (`pipeline`).
    public static let all: [MetricDescriptor] = {
        var seen = Set<ObjectIdentifier>()
        var out: [MetricDescriptor] = []
        for type in standardEventTypes {
            for d in type.metrics where seen.insert(ObjectIdentifier(d)).inserted { out.append(d) }
        }
        return out + ProcessSampler.metrics + pipeline
    }()

    /// The event names that drive a descriptor (empty for sampler and pipeline metrics).
    public static func events(driving d: MetricDescriptor) -> [String] {
        standardEventTypes.filter { $0.metrics.contains { $0 === d } }.map { $0.eventName }
    }

    /// The descriptor whose full name under `namespace` is `name`.
    public static func descriptor(named name: String, namespace: String = "agent") -> MetricDescriptor? {
        all.first { $0.name(namespace: namespace) == name }
    }
}
