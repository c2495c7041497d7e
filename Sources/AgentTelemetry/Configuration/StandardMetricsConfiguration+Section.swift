/// The standard-metrics keys of the `metrics:` section: `namespace`, `categories`, `buckets`,
/// `price_table`, `prices`, `session_idle_timeout`, `session_limit`. (`cardinality_limit` and `process_sampler`, in the same
/// section, belong to ``TelemetryConfiguration``.)
extension StandardMetricsConfiguration: TelemetryConfigurationSection, Encodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case namespace, categories, buckets, prices
        case priceTable = "price_table"
        case sessionIdleTimeout = "session_idle_timeout"
        case sessionLimit = "session_limit"
    }

    /// Decodes the keys; absent ones keep their defaults. A category name the catalog does not
    /// have is a decoding error of that entry (`categories.<name>`), with a "did you mean".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace) ?? namespace
        if let switches = try c.decodeIfPresent([String: CategorySwitch].self, forKey: .categories) {
            disabledCategories = Set(switches.values.filter { !$0.enabled }.map(\.category))
        }
        bucketOverrides = try c.decodeIfPresent([String: [Double]].self, forKey: .buckets) ?? bucketOverrides
        if let prices = try c.decodeIfPresent([String: PriceSetting].self, forKey: .prices) {
            priceOverrides = prices.mapValues(\.rates)
        }
        priceTablePath = try c.decodeIfPresent(String.self, forKey: .priceTable)
        sessionIdleTimeout = try c.decodeDurationIfPresent(forKey: .sessionIdleTimeout) ?? sessionIdleTimeout
        sessionLimit = try c.decodeIfPresent(Int.self, forKey: .sessionLimit) ?? sessionLimit
    }

    /// Writes the keys as the file spells them; every category is listed with its state.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(namespace, forKey: .namespace)
        let categories = Dictionary(uniqueKeysWithValues: MetricCategory.allCases.map { ($0.rawValue, !disabledCategories.contains($0)) })
        try c.encode(categories, forKey: .categories)
        if !bucketOverrides.isEmpty { try c.encode(bucketOverrides, forKey: .buckets) }
        try c.encodeIfPresent(priceTablePath, forKey: .priceTable)
        if !priceOverrides.isEmpty { try c.encode(priceOverrides.mapValues(PriceSetting.init), forKey: .prices) }
        try c.encodeDuration(sessionIdleTimeout, forKey: .sessionIdleTimeout)
        try c.encode(sessionLimit, forKey: .sessionLimit)
    }

    /// Checks the namespace, every bucket override (a histogram of the catalog, boundaries
    /// strictly increasing and finite), every price (finite, not negative) and the idle timeout.
    /// Cost: one pass over the catalog and the overrides.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if !namespace.isEmpty, let problem = MetricNameRules.metricNameProblem(namespace) {
            issues.append(ConfigurationIssue(["namespace"], "\(ConfigurationText.quotedForMessage(namespace)) is not a valid metric name prefix: \(problem)"))
        }
        if !bucketOverrides.isEmpty {
            let histograms = MetricCatalog.all.filter { $0.type == .histogram }
            let names = Set(histograms.flatMap { [$0.baseName, $0.name(namespace: namespace)] })
            for (name, bounds) in bucketOverrides.sorted(by: { $0.key < $1.key }) {
                if !names.contains(name) {
                    let hint = ConfigurationText.closest(to: name, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
                    issues.append(ConfigurationIssue(["buckets", name], "\(ConfigurationText.quotedForMessage(name)) is not a histogram of the catalog\(hint)"))
                } else if let problem = Buckets.problem(bounds) {
                    issues.append(ConfigurationIssue(["buckets", name], problem))
                }
            }
        }
        for (model, rates) in priceOverrides.sorted(by: { $0.key < $1.key }) {
            for (name, v) in rates.all {
                if let problem = ModelRates.priceProblem(v) { issues.append(ConfigurationIssue(["prices", model, name + "_per_million"], problem)) }
            }
        }
        if sessionIdleTimeout <= .zero { issues.append(ConfigurationIssue(["session_idle_timeout"], "must be positive")) }
        if !(1...10_000_000).contains(sessionLimit) {
            issues.append(ConfigurationIssue(["session_limit"], "\(sessionLimit) is out of range 1…10000000"))
        }
        return issues
    }
}

/// One entry of `metrics.categories`: on or off. The key names the category.
struct CategorySwitch: Decodable {
    var category: MetricCategory
    var enabled: Bool

    init(from decoder: any Decoder) throws {
        let name = decoder.codingPath.last?.stringValue ?? ""
        enabled = try decoder.singleValueContainer().decode(Bool.self)
        guard let category = MetricCategory(rawValue: name) else {
            let names = MetricCategory.allCases.map(\.rawValue)
            let hint = ConfigurationText.closest(to: name, among: names).map { "; did you mean \"\($0)\"?" }
                ?? "; categories: " + names.joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown category \(ConfigurationText.quotedForMessage(name))\(hint)"))
        }
        self.category = category
    }
}

/// One entry of `metrics.prices`: USD per million tokens of each kind; input and output are
/// required, cache reads and writes default to the input price, reasoning to the output price.
struct PriceSetting: Codable {
    var rates: ModelRates

    enum CodingKeys: String, CodingKey, CaseIterable {
        case inputPerMillion = "input_per_million"
        case outputPerMillion = "output_per_million"
        case cacheReadPerMillion = "cache_read_per_million"
        case cacheWritePerMillion = "cache_write_per_million"
        case reasoningPerMillion = "reasoning_per_million"
    }

    init(_ rates: ModelRates) { self.rates = rates }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rates = ModelRates(input: try c.decode(Double.self, forKey: .inputPerMillion),
                           output: try c.decode(Double.self, forKey: .outputPerMillion),
                           cacheRead: try c.decodeIfPresent(Double.self, forKey: .cacheReadPerMillion),
                           cacheWrite: try c.decodeIfPresent(Double.self, forKey: .cacheWritePerMillion),
                           reasoning: try c.decodeIfPresent(Double.self, forKey: .reasoningPerMillion))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rates.input, forKey: .inputPerMillion)
        try c.encode(rates.output, forKey: .outputPerMillion)
        try c.encodeIfPresent(rates.cacheRead, forKey: .cacheReadPerMillion)
        try c.encodeIfPresent(rates.cacheWrite, forKey: .cacheWritePerMillion)
        try c.encodeIfPresent(rates.reasoning, forKey: .reasoningPerMillion)
    }
}
