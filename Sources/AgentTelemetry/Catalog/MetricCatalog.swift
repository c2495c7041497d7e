/// The standard metric catalog: the single source of truth for metric names, types, help,
/// units, labels, buckets and categories.
public enum MetricCatalog {
    /// Every standard event type; each contributes its descriptors.
    public static let standardEventTypes: [any StandardEvent.Type] = [
        // Performance, functional, LLM usage, business
        ToolExecuted.self, ProviderRequest.self, ChatTurn.self, RequestHandled.self, WorkflowExecuted.self,
        CacheAccess.self, FeatureUsed.self, InitializationCompleted.self, ComponentMemoryReported.self,
        SessionStarted.self, SessionEnded.self,
        // Agentic
        PlanningStep.self, MemoryOperation.self, SkillDiscovered.self, SelfImprovementLoop.self,
        // Verticals
        CodeAnalysisCompleted.self, TestsGenerated.self, CodingQueueChanged.self,
        DocumentsIngested.self, RetrievalPerformed.self, IndexSizeReported.self,
        DeploymentCompleted.self, ContainersManaged.self, PipelineRunCompleted.self,
        DataQueryExecuted.self, VisualizationCreated.self,
        ResearchSearchPerformed.self, SynthesisCompleted.self,
        // Security
        AuthorizationCheck.self, SecurityTestCompleted.self, VulnerabilityFound.self, SecurityScanCompleted.self,
    ]

    /// Every descriptor, in catalog order, each once: event-driven ones, then the process
    /// sampler's, then the pipeline's own.
    public static let all: [MetricDescriptor] = {
        var seen = Set<ObjectIdentifier>()
        var out: [MetricDescriptor] = []
        for type in standardEventTypes {
            for d in type.metrics where seen.insert(ObjectIdentifier(d)).inserted { out.append(d) }
        }
        return out + ProcessSampler.metrics + PipelineMetrics.all
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

/// The pipeline's own metrics (bus, registry, exporters), listed so that documentation, rules
/// and dashboards can rely on them. They are registered by the parts that own them.
public enum PipelineMetrics {
    static func d(_ name: String, _ type: MetricType, _ help: String, _ labels: [String] = [], unit: MetricUnit? = nil) -> MetricDescriptor {
        MetricDescriptor(name, type, help: help, unit: unit, labels: labels, category: .selfObservability, namespaced: false,
                         origin: .pipeline)
    }

    /// Every pipeline metric.
    public static let all: [MetricDescriptor] = [
        d("agent_telemetry_events_emitted_total", .counter, "Events accepted by the bus and dispatched to subscribers, by event type.", ["event"]),
        d("agent_telemetry_events_dropped_total", .counter, "Events discarded by the bus, by event type and reason (buffer_full, shutdown, subscriber_mailbox_full).", ["event", "reason"]),
        d("agent_telemetry_subscriber_errors_total", .counter, "Events whose subscriber threw an error, by subscriber.", ["subscriber"]),
        d("agent_telemetry_bus_queue_depth", .gauge, "Events waiting in the bus's central buffer."),
        d("agent_telemetry_metric_overflow_total", .counter, "Lookups of new label combinations that went to the otel_metric_overflow series because the metric reached its cardinality limit.", ["metric"]),
        d("agent_telemetry_metric_rejected_updates_total", .counter, "Metric updates refused: invalid values (negative counter increments, NaN) or a wrong number of label values.", ["metric", "reason"]),
        d("agent_telemetry_prometheus_requests_total", .counter, "Requests served by the embedded Prometheus endpoint, by path kind and status code.", ["handler", "status"]),
        d("agent_telemetry_otlp_exports_total", .counter, "OTLP export requests by result (success, failure).", ["result"]),
        d("agent_telemetry_otlp_retries_total", .counter, "OTLP export attempts that were retried."),
        d("agent_telemetry_otlp_sent_bytes_total", .counter, "Bytes sent to the OTLP endpoint (after compression)."),
        d("agent_telemetry_otlp_rejected_data_points_total", .counter, "Data points the OTLP receiver reported as rejected (partial success)."),
        d("agent_telemetry_otlp_last_success_timestamp_seconds", .gauge, "When the last OTLP export succeeded, seconds since the epoch.", unit: .seconds),
        d("agent_telemetry_statsd_lines_sent_total", .counter, "StatsD lines sent."),
        d("agent_telemetry_statsd_lines_dropped_total", .counter, "StatsD lines dropped, by reason (queue_full, too_long, send_error).", ["reason"]),
        d("agent_telemetry_statsd_datagrams_sent_total", .counter, "StatsD datagrams sent."),
        d("agent_telemetry_statsd_send_errors_total", .counter, "StatsD datagrams that failed to send."),
        d("agent_telemetry_swift_metrics_rejected_total", .counter, "swift-metrics handlers that could not be registered (conflicting type or dimension names), by metric.", ["metric"]),
    ]
}
