/// The categories of the standard catalog.
public enum MetricCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// Latencies, process memory and CPU.
    case performance
    /// What the agent did and how it went: tools, providers, workflows, caches.
    case functional
    /// LLM tokens, GenAI operation durations, cost.
    case llmUsage = "llm_usage"
    /// Requests, users, sessions.
    case business
    /// Planning, memory, skills, self-improvement.
    case agentic
    /// Coding, RAG, DevOps, data analysis and research work.
    case verticals
    /// Authorization, security tests, vulnerabilities.
    case security
    /// The telemetry pipeline's own health.
    case selfObservability = "self_observability"

    /// A heading for documents.
    public var title: String {
        switch self {
        case .performance: "Performance"
        case .functional: "Functional"
        case .llmUsage: "LLM usage"
        case .business: "Business"
        case .agentic: "Agentic"
        case .verticals: "Verticals"
        case .security: "Security"
        case .selfObservability: "Self-observability"
        }
    }
}

/// Which part of the library registers a catalog metric.
public enum MetricOrigin: String, Sendable, Hashable, Codable {
    /// The standard subscriber, from standard events.
    case events
    /// The process sampler.
    case processSampler = "process_sampler"
    /// The pipeline itself: bus, registry, exporters.
    case pipeline
}

/// One entry of the metric catalog: everything about a standard metric in one place.
///
/// The standard subscriber registers families from descriptors, the generated documentation
/// and the CLI's catalog print them, and the rule and dashboard checks read them.
public final class MetricDescriptor: Sendable {
    /// The name without the namespace prefix (e.g. `tool_executions_total`), or the full name
    /// when `namespaced` is false (OpenTelemetry GenAI names such as `gen_ai_client_token_usage`).
    public let baseName: String
    /// Whether the configured namespace is prefixed (`agent_` by default).
    public let namespaced: Bool
    /// Counter, gauge or histogram.
    public let type: MetricType
    /// Help text.
    public let help: String
    /// Unit.
    public let unit: MetricUnit?
    /// Label names as Prometheus, StatsD and the documents spell them, derived from
    /// `attributeKeys` (opt-in labels last).
    public let labelNames: [String]
    /// The OpenTelemetry attribute key of each label, in the order of `labelNames`: the
    /// conventions' key where they define one (`gen_ai.request.model`, `error.type`), the
    /// project's own key otherwise (`tool`, `outcome`).
    public let attributeKeys: [String]
    /// The opt-in labels' attribute keys (the tail of `attributeKeys`): recorded with every
    /// update, exported only where a view lists them in `opt_in_labels`.
    public let optInKeys: [String]
    /// Default histogram buckets (config may override them).
    public let buckets: [Double]
    /// Catalog category.
    public let category: MetricCategory
    /// The OTLP name; derived from the Prometheus name when `nil`.
    public let otlpName: String?
    /// Cardinality guidance per label (by attribute key or label name): what values it takes
    /// and whether they are bounded.
    public let labelGuidance: [String: String]
    /// A PromQL expression users should graph or alert on for this metric (ratios, quantiles), if any.
    /// `{ns}` stands for the namespace prefix.
    public let promQL: String?
    /// Who registers it.
    public let origin: MetricOrigin

    /// Creates a descriptor.
    /// - Parameters:
    ///   - labels: the labels' attribute keys (a key without dots is also its Prometheus name).
    ///   - optInLabels: attribute keys of labels exported only where a view opts in; recorded
    ///     after `labels` in every lookup.
    public init(
        _ baseName: String, _ type: MetricType, help: String, unit: MetricUnit? = nil, labels: [String] = [],
        optInLabels: [String] = [],
        buckets: [Double] = [], category: MetricCategory, namespaced: Bool = true, otlpName: String? = nil,
        labelGuidance: [String: String] = [:], promQL: String? = nil, origin: MetricOrigin = .events
    ) {
        self.origin = origin
        self.baseName = baseName
        self.type = type
        self.help = help
        self.unit = unit
        self.attributeKeys = labels + optInLabels
        self.labelNames = attributeKeys.map(AttributeKey.prometheusName)
        self.optInKeys = optInLabels
        self.buckets = buckets
        self.category = category
        self.namespaced = namespaced
        self.otlpName = otlpName
        self.labelGuidance = labelGuidance
        self.promQL = promQL
    }

    /// The Prometheus names of the opt-in labels.
    public var optInLabelNames: [String] { optInKeys.map(AttributeKey.prometheusName) }

    /// The attribute key of the label with this Prometheus name (the name itself when unknown).
    public func attributeKey(ofLabel label: String) -> String {
        labelNames.firstIndex(of: label).map { attributeKeys[$0] } ?? label
    }

    /// The guidance for the label with this attribute key or name, if any.
    public func guidance(forLabel label: String) -> String? {
        if let g = labelGuidance[label] { return g }
        guard let i = labelNames.firstIndex(of: label) else { return nil }
        return labelGuidance[attributeKeys[i]]
    }

    /// The full Prometheus name under `namespace` (`agent` by default).
    public func name(namespace: String) -> String {
        guard namespaced, !namespace.isEmpty else { return baseName }
        return namespace + "_" + baseName
    }

    /// The OTLP name under `namespace`: dots between namespace and name, no unit suffix or `_total`.
    public func otlpName(namespace: String) -> String {
        if let otlpName { return otlpName }
        let base = MetricFamilyInfo.deriveOTLPName(baseName, type: type, unit: unit)
        guard namespaced, !namespace.isEmpty else { return base }
        return namespace + "." + base
    }
}
