/// The bus's own metrics, declared here once; `MetricCatalog` lists them and `Telemetry`
/// registers them and hands the bus this observer.
struct BusMetrics: EventBusObserver {
    static let emitted = MetricDescriptor(
        "agent_telemetry_events_emitted_total", .counter,
        help: "Events accepted by the bus and dispatched to subscribers, by event type.",
        unit: .annotation("event"), labels: ["event"], category: .selfObservability, namespaced: false, origin: .pipeline)
    static let dropped = MetricDescriptor(
        "agent_telemetry_events_dropped_total", .counter,
        help: "Events discarded by the bus, by event type and reason (buffer_full, shutdown, subscriber_mailbox_full, cancelled).",
        unit: .annotation("event"), labels: ["event", "reason"], category: .selfObservability, namespaced: false, origin: .pipeline)
    static let subscriberErrors = MetricDescriptor(
        "agent_telemetry_subscriber_errors_total", .counter,
        help: "Events whose subscriber threw an error, by subscriber.",
        unit: .annotation("error"), labels: ["subscriber"], category: .selfObservability, namespaced: false, origin: .pipeline)
    static let queueDepth = MetricDescriptor(
        "agent_telemetry_bus_queue_depth", .gauge, help: "Events waiting in the bus's central buffer.",
        unit: .annotation("event"), category: .selfObservability, namespaced: false, origin: .pipeline)

    /// The bus's descriptors, in catalog order.
    static let all: [MetricDescriptor] = [emitted, dropped, subscriberErrors, queueDepth]

    let emittedFamily: CounterFamily
    let droppedFamily: CounterFamily
    let errorsFamily: CounterFamily

    let depthGauge: GaugeSeries
    let registry: MetricRegistry

    /// Registers the bus's families in `registry` (never throws).
    init(registry: MetricRegistry) {
        self.registry = registry
        emittedFamily = registry.counter(Self.emitted)
        droppedFamily = registry.counter(Self.dropped)
        errorsFamily = registry.counter(Self.subscriberErrors)
        depthGauge = registry.gauge(Self.queueDepth).series
    }

    /// Keeps the queue-depth gauge current through a registry collector reading `depth`.
    func trackDepth(_ depth: @escaping @Sendable () -> Int) {
        let gauge = depthGauge
        registry.addCollector { gauge.set(Double(depth())) }
    }

    func emittedCounter(eventName: String) -> CounterSeries? { emittedFamily.labels(eventName) }

    func dropped(eventName: String, reason: DropReason, count: Int) {
        droppedFamily.labels(eventName, reason.rawValue).increment(by: count)
    }

    func errorCounter(subscriber: String) -> CounterSeries? { errorsFamily.labels(subscriber) }
}
