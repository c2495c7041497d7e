/// `metrics.views` entries, as the file spells them:
///
/// ```yaml
/// - match: agent_provider_requests_total   # a name or a glob
///   drop_labels: [model]                    # label names or attribute keys
///   opt_in_labels: [gen_ai.agent.name]       # opt-in labels this metric exports
///   rename: agent_llm_requests_total
///   buckets: [0.05, 0.1, 0.5]
///   cardinality_limit: 500
///   aggregation: native                      # classic (default), native or classic_and_native
///   max_buckets: 160                         # native buckets per series, 4…32768
///   schema: 8                                # finest native schema, -4…8
///   deny: true                               # or `allow: true` to keep it despite a later deny
/// ```
extension MetricView: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case match, deny, allow, rename, buckets
        case dropLabels = "drop_labels"
        case optInLabels = "opt_in_labels"
        case cardinalityLimit = "cardinality_limit"
        case aggregation
        case maxBuckets = "max_buckets"
        case schema
    }

    /// Decodes one view; `match` is required, `deny` and `allow` exclude each other.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let match = try c.decode(String.self, forKey: .match)
        let deny = try c.decodeIfPresent(Bool.self, forKey: .deny)
        let allow = try c.decodeIfPresent(Bool.self, forKey: .allow)
        self.init(match: match, deny: deny ?? allow.map { !$0 },
                  rename: try c.decodeIfPresent(String.self, forKey: .rename),
                  dropLabels: try c.decodeIfPresent([String].self, forKey: .dropLabels) ?? [],
                  optInLabels: try c.decodeIfPresent([String].self, forKey: .optInLabels) ?? [],
                  buckets: try c.decodeIfPresent([Double].self, forKey: .buckets),
                  cardinalityLimit: try c.decodeIfPresent(Int.self, forKey: .cardinalityLimit),
                  aggregation: try c.decodeChoiceIfPresent(HistogramAggregation.self, forKey: .aggregation),
                  maxBuckets: try c.decodeIfPresent(Int.self, forKey: .maxBuckets),
                  schema: try c.decodeIfPresent(Int.self, forKey: .schema))
        // Reported by `MetricViews.validate` with the other problems of the file, not thrown:
        // one bad entry must not hide the others.
        contradictsItself = deny != nil && allow != nil && deny == allow
    }

    /// Writes the settings that are set (`deny: false` as `allow: true`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(match, forKey: .match)
        switch deny {
        case true?: try c.encode(true, forKey: .deny)
        case false?: try c.encode(true, forKey: .allow)
        case nil: break
        }
        try c.encodeIfPresent(rename, forKey: .rename)
        if !dropLabels.isEmpty { try c.encode(dropLabels, forKey: .dropLabels) }
        if !optInLabels.isEmpty { try c.encode(optInLabels, forKey: .optInLabels) }
        try c.encodeIfPresent(buckets, forKey: .buckets)
        try c.encodeIfPresent(cardinalityLimit, forKey: .cardinalityLimit)
        if let aggregation { try c.encodeChoice(aggregation, forKey: .aggregation) }
        try c.encodeIfPresent(maxBuckets, forKey: .maxBuckets)
        try c.encodeIfPresent(schema, forKey: .schema)
    }
}

extension HistogramAggregation: ConfigurationChoice {
    package static var spellings: [(name: String, value: HistogramAggregation)] {
        allCases.map { ($0.rawValue, $0) }
    }
}

/// `metrics.histograms:`, the default for every histogram that no view shapes:
///
/// ```yaml
/// metrics:
///   histograms:
///     aggregation: classic_and_native   # classic (default), native or classic_and_native
///     max_buckets: 160                  # native buckets per series, 4…32768
///     schema: 8                         # finest native schema, -4…8
/// ```
struct HistogramDefaults: Codable {
    var aggregation: HistogramAggregation?
    var maxBuckets: Int?
    var schema: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case aggregation
        case maxBuckets = "max_buckets"
        case schema
    }

    init(aggregation: HistogramAggregation?, maxBuckets: Int?, schema: Int?) {
        self.aggregation = aggregation
        self.maxBuckets = maxBuckets
        self.schema = schema
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        aggregation = try c.decodeChoiceIfPresent(HistogramAggregation.self, forKey: .aggregation)
        maxBuckets = try c.decodeIfPresent(Int.self, forKey: .maxBuckets)
        schema = try c.decodeIfPresent(Int.self, forKey: .schema)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let aggregation { try c.encodeChoice(aggregation, forKey: .aggregation) }
        try c.encodeIfPresent(maxBuckets, forKey: .maxBuckets)
        try c.encodeIfPresent(schema, forKey: .schema)
    }

    /// The registry-wide settings these give (absent keys keep the defaults).
    var settings: NativeHistogramSettings {
        var s = NativeHistogramSettings.default
        if let maxBuckets { s.maxBuckets = maxBuckets }
        if let schema { s.schema = schema }
        return s
    }
}
