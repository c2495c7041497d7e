/// The pipeline's part of the configuration file, read from the file's top level: `bus:`,
/// `metrics:` (the standard-metrics keys plus `cardinality_limit`, `process_sampler`,
/// `common_labels`, `views` and `exemplars`) and `budgets:`.
///
/// It decodes from the same mapping as the rest of the file: an application's own loader can pass
/// it the top-level decoder and read its own keys beside it.
extension TelemetryConfiguration: TelemetryConfigurationSection, Encodable {
    /// Accepted values of `metrics.cardinality_limit` (series per metric).
    public static let cardinalityLimits: ClosedRange<Int> = 1...1_000_000
    /// The smallest `metrics.process_memory_limit`: 1 MiB (a process runs in more).
    public static let minimumProcessMemoryLimit = 1 << 20
    /// Accepted values of `metrics.process_cpu_limit`, in cores.
    public static let processCPULimits: ClosedRange<Double> = 0.01...4096

    enum CodingKeys: String, CodingKey, CaseIterable {
        case metrics, bus, budgets
    }

    /// The keys of `metrics:` that are the pipeline's rather than the standard metrics'.
    struct MetricsLimits: Codable {
        var cardinalityLimit: Int?
        var processSampler: Bool?
        var commonLabels: [String: String]?
        var views: [MetricView]?
        var exemplars: Bool?
        var processMemoryLimit: ConfigByteSize?
        var processCPULimit: Double?
        var histograms: HistogramDefaults?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case cardinalityLimit = "cardinality_limit"
            case processSampler = "process_sampler"
            case commonLabels = "common_labels"
            case views
            case exemplars
            case processMemoryLimit = "process_memory_limit"
            case processCPULimit = "process_cpu_limit"
            case histograms
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(cardinalityLimit, forKey: .cardinalityLimit)
            try c.encodeIfPresent(processSampler, forKey: .processSampler)
            if let commonLabels, !commonLabels.isEmpty { try c.encode(commonLabels, forKey: .commonLabels) }
            if let views, !views.isEmpty { try c.encode(views, forKey: .views) }
            try c.encodeIfPresent(exemplars, forKey: .exemplars)
            try c.encodeIfPresent(processMemoryLimit, forKey: .processMemoryLimit)
            try c.encodeIfPresent(processCPULimit, forKey: .processCPULimit)
            try c.encodeIfPresent(histograms, forKey: .histograms)
        }
    }

    /// Decodes `bus:` and `metrics:`; absent keys keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        bus = try c.decodeIfPresent(EventBusConfiguration.self, forKey: .bus) ?? bus
        standardMetrics = try c.decodeIfPresent(StandardMetricsConfiguration.self, forKey: .metrics) ?? standardMetrics
        // The same mapping again, for the two keys that are ours.
        let limits = try c.decodeIfPresent(MetricsLimits.self, forKey: .metrics)
        cardinalityLimit = limits?.cardinalityLimit ?? cardinalityLimit
        sampleProcess = limits?.processSampler ?? sampleProcess
        views = MetricViews(commonLabels: limits?.commonLabels ?? [:], views: limits?.views ?? [],
                            histogramAggregation: limits?.histograms?.aggregation ?? .classic,
                            nativeHistogram: limits?.histograms?.settings ?? .default)
        if limits?.exemplars == false { exemplarSource = nil }
        processMemoryLimitBytes = limits?.processMemoryLimit?.bytes
        processCPULimit = limits?.processCPULimit
        budgets = try c.decodeIfPresent([Budget].self, forKey: .budgets) ?? []
    }

    /// Writes `metrics:` and `bus:` into the encoder's top-level mapping.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let metrics = c.superEncoder(forKey: .metrics)
        try standardMetrics.encode(to: metrics)
        try MetricsLimits(cardinalityLimit: cardinalityLimit, processSampler: sampleProcess,
                          commonLabels: views.commonLabels, views: views.views,
                          exemplars: exemplarSource != nil,
                          processMemoryLimit: processMemoryLimitBytes.map { ConfigByteSize(bytes: $0) },
                          processCPULimit: processCPULimit, histograms: histogramDefaults).encode(to: metrics)
        try c.encode(bus, forKey: .bus)
        if !budgets.isEmpty { try c.encode(budgets, forKey: .budgets) }
    }

    /// `metrics.histograms` as the file writes it: only what differs from the defaults.
    private var histogramDefaults: HistogramDefaults? {
        let d = NativeHistogramSettings.default
        let n = views.nativeHistogram
        let h = HistogramDefaults(aggregation: views.histogramAggregation == .classic ? nil : views.histogramAggregation,
                                  maxBuckets: n.maxBuckets == d.maxBuckets ? nil : n.maxBuckets,
                                  schema: n.schema == d.schema ? nil : n.schema)
        return h.aggregation == nil && h.maxBuckets == nil && h.schema == nil ? nil : h
    }

    /// Every problem of the bus and metrics settings, with paths from the top of the file
    /// (`bus.capacity`, `metrics.cardinality_limit`).
    public func validate() -> [ConfigurationIssue] {
        var issues = standardMetrics.validate().map { $0.prefixed(by: [CodingKeys.metrics.rawValue]) }
        if !Self.cardinalityLimits.contains(cardinalityLimit) {
            let l = Self.cardinalityLimits
            issues.append(ConfigurationIssue(["metrics", "cardinality_limit"], "\(cardinalityLimit) is out of range \(l.lowerBound)…\(l.upperBound)"))
        }
        if let bytes = processMemoryLimitBytes, bytes < Self.minimumProcessMemoryLimit {
            issues.append(ConfigurationIssue(["metrics", "process_memory_limit"],
                                             "\(ConfigByteSize(bytes: bytes)) is below the minimum of \(ConfigByteSize(bytes: Self.minimumProcessMemoryLimit))"))
        }
        if let cores = processCPULimit, !Self.processCPULimits.contains(cores) {
            issues.append(ConfigurationIssue(["metrics", "process_cpu_limit"],
                                             "\(cores) is out of range \(Self.processCPULimits.lowerBound)…\(Self.processCPULimits.upperBound) cores"))
        }
        issues += NativeHistogramSettings.issues(maxBuckets: views.nativeHistogram.maxBuckets, schema: views.nativeHistogram.schema,
                                                 path: ["metrics", "histograms"])
        issues += validateViews(known: MetricCatalog.all + additionalMetrics)
        issues += bus.validate().map { $0.prefixed(by: [CodingKeys.bus.rawValue]) }
        issues += Budget.validate(budgets)
        return issues
    }

    /// The problems of `metrics.views` and `metrics.common_labels` against the metrics in
    /// `known` (the runtime passes its whole catalog, exporters' metrics included; an
    /// application adds its own descriptors), with paths from the top of the file.
    public func validateViews(known: [MetricDescriptor]) -> [ConfigurationIssue] {
        views.validate(known: known, namespace: standardMetrics.namespace).map { $0.prefixed(by: [CodingKeys.metrics.rawValue]) }
    }
}
