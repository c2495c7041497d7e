/// `metrics.views` entries, as the file spells them:
///
/// ```yaml
/// - match: agent_provider_requests_total   # a name or a glob
///   drop_labels: [model]                    # label names or attribute keys
///   opt_in_labels: [gen_ai.agent.name]       # opt-in labels this metric exports
///   rename: agent_llm_requests_total
///   buckets: [0.05, 0.1, 0.5]
///   cardinality_limit: 500
///   deny: true                               # or `allow: true` to keep it despite a later deny
/// ```
extension MetricView: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case match, deny, allow, rename, buckets
        case dropLabels = "drop_labels"
        case optInLabels = "opt_in_labels"
        case cardinalityLimit = "cardinality_limit"
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
                  cardinalityLimit: try c.decodeIfPresent(Int.self, forKey: .cardinalityLimit))
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
    }
}
