/// A rule that shapes how matching metrics are exported, without touching the code that
/// records them: deny or allow, rename, drop labels, other histogram buckets, another
/// cardinality limit.
///
/// Views are applied once, when a family is registered (and, for dropped labels, when a label
/// combination is looked up); a held series is updated exactly as without views. Every exporter
/// sees the same result, because they all read the one registry.
///
/// ```swift
/// let views = MetricViews(
///     commonLabels: ["environment": "staging"],
///     views: [
///         MetricView(match: "agent_provider_requests_total", dropLabels: ["model"]),
///         MetricView(match: "agent_devops_*", deny: true),
///         MetricView(match: "agent_tool_execution_duration_seconds", buckets: [0.05, 0.1, 0.5, 1, 5]),
///     ])
/// ```
public struct MetricView: Sendable, Hashable {
    /// A metric name, or a glob over names: `*` matches any run of characters, `?` one character.
    public var match: String
    /// `true` keeps matching metrics out of every export; `false` keeps them in even when a later
    /// view denies them (put `allow` views first to keep a subset: `agent_llm_*` allowed, `*` denied).
    public var deny: Bool?
    /// A new name for the metric (exact matches only: a glob would give several metrics one name).
    public var rename: String?
    /// Labels removed from the metric, by label name or attribute key (`gen_ai_request_model` or
    /// `gen_ai.request.model`). Series that differ only in these labels become one series:
    /// counters and histograms add up, a gauge holds the last value written to any of them.
    public var dropLabels: [String]
    /// Opt-in labels the metric exports here (by label name or attribute key), such as
    /// `gen_ai.agent.name` on the token and cost counters. Each multiplies the metric's series.
    public var optInLabels: [String]
    /// Histogram bucket upper bounds (histograms only).
    public var buckets: [Double]?
    /// Series of this metric before new label combinations go to the overflow series.
    public var cardinalityLimit: Int?
    /// Classic, native (exponential) or both kinds of histogram buckets (histograms only).
    public var aggregation: HistogramAggregation?
    /// The most native buckets a series holds (`max_buckets`; native aggregation only).
    public var maxBuckets: Int?
    /// The finest native schema, -4…8 (`schema`; native aggregation only).
    public var schema: Int?
    /// Set when the file gave both `deny` and `allow` with opposite meanings.
    package var contradictsItself = false

    /// Creates a view. Settings left `nil` (or empty) leave the metric as registered.
    public init(match: String, deny: Bool? = nil, rename: String? = nil, dropLabels: [String] = [],
                optInLabels: [String] = [], buckets: [Double]? = nil, cardinalityLimit: Int? = nil,
                aggregation: HistogramAggregation? = nil, maxBuckets: Int? = nil, schema: Int? = nil) {
        self.match = match
        self.deny = deny
        self.rename = rename
        self.dropLabels = dropLabels
        self.optInLabels = optInLabels
        self.buckets = buckets
        self.cardinalityLimit = cardinalityLimit
        self.aggregation = aggregation
        self.maxBuckets = maxBuckets
        self.schema = schema
    }

    /// Whether `match` is a glob (contains `*` or `?`).
    public var isGlob: Bool { match.utf8.contains { $0 == 42 || $0 == 63 } }

    /// Whether this view applies to the metric named `name`.
    public func matches(_ name: String) -> Bool {
        isGlob ? Glob.matches(pattern: Array(match.utf8), name: Array(name.utf8)) : match == name
    }
}

/// What all views together do to one metric: for each setting, the first view in list order
/// that sets it wins; dropped labels add up over every matching view.
public struct ResolvedView: Sendable, Hashable {
    /// The metric is kept out of every export.
    public var denied = false
    /// The exported name, when renamed.
    public var rename: String?
    /// Labels removed (Prometheus spelling).
    public var dropLabels: Set<String> = []
    /// Opt-in labels exported (Prometheus spelling).
    public var optInLabels: Set<String> = []
    /// Bucket bounds replacing the registered ones.
    public var buckets: [Double]?
    /// Cardinality limit replacing the registry's.
    public var cardinalityLimit: Int?
    /// How a histogram aggregates (the view's, else the registry-wide default).
    public var aggregation: HistogramAggregation = .classic
    /// The native buckets' settings (used when `aggregation` has native buckets).
    public var native: NativeHistogramSettings = .default

    /// Whether the metric is exported as registered.
    public var isIdentity: Bool {
        !denied && rename == nil && dropLabels.isEmpty && optInLabels.isEmpty && buckets == nil && cardinalityLimit == nil
            && aggregation == .classic
    }
}

/// The views of a registry, and the labels every series carries.
public struct MetricViews: Sendable, Hashable {
    /// Labels added to every exported series: Prometheus writes them on every line (a metric's own
    /// label of the same name wins), OTLP sends them as resource attributes, StatsD as constant tags.
    public var commonLabels: [String: String]
    /// The views, in precedence order.
    public var views: [MetricView]
    /// How histograms that no view gives an `aggregation` aggregate (`metrics.histograms.aggregation`).
    public var histogramAggregation: HistogramAggregation
    /// Native bucket settings for histograms whose view does not set them (`metrics.histograms`).
    public var nativeHistogram: NativeHistogramSettings

    /// No views, no common labels.
    public static let none = MetricViews()

    /// Creates a set of views.
    public init(commonLabels: [String: String] = [:], views: [MetricView] = [],
                histogramAggregation: HistogramAggregation = .classic, nativeHistogram: NativeHistogramSettings = .default) {
        self.commonLabels = commonLabels
        self.views = views
        self.histogramAggregation = histogramAggregation
        self.nativeHistogram = nativeHistogram
    }

    /// Whether there is nothing to apply.
    public var isEmpty: Bool { commonLabels.isEmpty && views.isEmpty && histogramAggregation == .classic }

    /// Whether `resolve` can give anything but the identity.
    var resolvesAnything: Bool { !views.isEmpty || histogramAggregation != .classic }

    /// The combined effect of every view matching `name`.
    /// Cost: one comparison (or glob match) per view; it runs once per registration.
    public func resolve(_ name: String) -> ResolvedView {
        var r = ResolvedView()
        var decided = false
        var aggregation: HistogramAggregation?
        var maxBuckets: Int?
        var schema: Int?
        for v in views where v.matches(name) {
            if !decided, let deny = v.deny { r.denied = deny; decided = true }
            if r.rename == nil, let rename = v.rename, !v.isGlob { r.rename = rename }
            r.dropLabels.formUnion(v.dropLabels.map(AttributeKey.prometheusName))
            r.optInLabels.formUnion(v.optInLabels.map(AttributeKey.prometheusName))
            if r.buckets == nil, let b = v.buckets { r.buckets = b }
            if r.cardinalityLimit == nil, let l = v.cardinalityLimit { r.cardinalityLimit = l }
            if aggregation == nil { aggregation = v.aggregation }
            if maxBuckets == nil { maxBuckets = v.maxBuckets }
            if schema == nil { schema = v.schema }
        }
        r.aggregation = aggregation ?? histogramAggregation
        r.native = nativeHistogram
        if let maxBuckets { r.native.maxBuckets = maxBuckets }
        if let schema { r.native.schema = schema }
        return r
    }

    /// The common labels sorted by name, as Prometheus and StatsD write them: a key given as an
    /// attribute key (`deployment.environment`) is written as its label name (`deployment_environment`).
    public var commonLabelSet: LabelSet {
        let sorted = commonLabels.map { (AttributeKey.prometheusName($0.key), $0.value) }.sorted { $0.0 < $1.0 }
        return LabelSet(names: sorted.map(\.0), values: sorted.map(\.1))
    }

    /// The common labels as OTLP sends them (resource attributes), sorted: each key as it was
    /// given, so `deployment.environment` stays dotted.
    public var commonAttributeSet: LabelSet {
        let sorted = commonLabels.sorted { $0.key < $1.key }
        return LabelSet(names: sorted.map(\.key), values: sorted.map(\.value))
    }

    /// The most common labels. Each is written on every exposition line and data point.
    public static let maximumCommonLabels = 32

    /// The longest common label value, in bytes of UTF-8. A 100 KB value made one scrape of the
    /// demo 195 MB; environment, region, cluster or version names fit easily.
    public static let maximumCommonLabelValueBytes = 256

    /// Accepted values of a view's `cardinality_limit`.
    public static let cardinalityLimits: ClosedRange<Int> = 1...1_000_000

    /// Every problem of these views against the metrics that exist, with key paths
    /// (`views[2].rename`, `common_labels.env`).
    ///
    /// An exact `match` must name one of `known` (with a "did you mean"); a glob may match
    /// nothing (it also covers metrics registered at run time). A rename must be a valid name,
    /// must not be taken by another metric or rename, and is refused on a glob; dropped labels of
    /// an exact match must be labels of that metric; buckets need a histogram and valid bounds.
    /// - Parameter known: the metrics a configuration can name (the catalog, plus the
    ///   application's own descriptors).
    public func validate(known: [MetricDescriptor], namespace: String) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if commonLabels.count > Self.maximumCommonLabels {
            issues.append(ConfigurationIssue(["common_labels"], "\(commonLabels.count) labels are more than the \(Self.maximumCommonLabels) allowed (each is written on every line)"))
        }
        for (key, value) in commonLabels.sorted(by: { $0.key < $1.key }) {
            if value.utf8.count > Self.maximumCommonLabelValueBytes {
                issues.append(ConfigurationIssue(["common_labels", key], "the value is \(value.utf8.count) bytes long, more than the \(Self.maximumCommonLabelValueBytes) allowed (it is written on every line of every scrape)"))
            }
            if let problem = AttributeKey.problem(key) {
                issues.append(ConfigurationIssue(["common_labels", key], "\(ConfigurationText.quotedForMessage(key)) is not a valid label name: \(problem)"))
            } else if AttributeKey.names(key, key: AttributeKey.overflow) {
                issues.append(ConfigurationIssue(["common_labels", key], "\"otel_metric_overflow\" marks the overflow series and cannot be a common label"))
            }
        }
        var byName: [String: MetricDescriptor] = [:]
        for d in known { byName[d.name(namespace: namespace)] = d }
        let names = Set(byName.keys)
        var renamedTo: [String: String] = [:]
        for (i, v) in views.enumerated() {
            let path = ["views[\(i)]"]
            if v.match.isEmpty {
                issues.append(ConfigurationIssue(path + ["match"], "must name a metric or a glob"))
                continue
            }
            if v.contradictsItself {
                issues.append(ConfigurationIssue(path + ["allow"], "`deny` and `allow` contradict each other; use one of them"))
            }
            let target: MetricDescriptor?
            if v.isGlob {
                target = nil
                if v.rename != nil {
                    issues.append(ConfigurationIssue(path + ["rename"], "a glob (\(ConfigurationText.quotedForMessage(v.match))) cannot rename: every match would get the same name"))
                }
            } else if let d = byName[v.match] {
                target = d
            } else {
                let hint = ConfigurationText.closest(to: v.match, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
                issues.append(ConfigurationIssue(path + ["match"], "\(ConfigurationText.quotedForMessage(v.match)) is not a metric of the catalog\(hint)"))
                continue
            }
            if let rename = v.rename, let d = target {
                if let problem = MetricNameRules.metricNameProblem(rename) {
                    issues.append(ConfigurationIssue(path + ["rename"], "\(ConfigurationText.quotedForMessage(rename)) is not a valid metric name: \(problem)"))
                } else if rename != v.match && names.contains(rename) {
                    issues.append(ConfigurationIssue(path + ["rename"], "\(ConfigurationText.quotedForMessage(rename)) is the name of another metric"))
                } else if let other = renamedTo[rename], other != v.match {
                    issues.append(ConfigurationIssue(path + ["rename"], "\(ConfigurationText.quotedForMessage(rename)) is already the new name of \(ConfigurationText.quotedForMessage(other))"))
                } else if d.type == .counter && !rename.hasSuffix("_total") {
                    issues.append(ConfigurationIssue(path + ["rename"], "a counter's name must end in \"_total\""))
                } else {
                    renamedTo[rename] = v.match
                }
            }
            for label in v.dropLabels {
                if let d = target, !d.labelNames.contains(AttributeKey.prometheusName(label)) {
                    let list = d.labelNames.isEmpty ? "it has no labels" : "its labels: " + d.labelNames.joined(separator: ", ")
                    issues.append(ConfigurationIssue(path + ["drop_labels"], "\(ConfigurationText.quotedForMessage(v.match)) has no label \(ConfigurationText.quotedForMessage(label)) (\(list))"))
                } else if label.isEmpty {
                    issues.append(ConfigurationIssue(path + ["drop_labels"], "a label name must not be empty"))
                }
            }
            for label in v.optInLabels {
                if label.isEmpty {
                    issues.append(ConfigurationIssue(path + ["opt_in_labels"], "a label name must not be empty"))
                } else if let d = target, !d.optInLabelNames.contains(AttributeKey.prometheusName(label)) {
                    let list = d.optInKeys.isEmpty ? "it has none" : "its opt-in labels: " + d.optInKeys.joined(separator: ", ")
                    issues.append(ConfigurationIssue(path + ["opt_in_labels"], "\(ConfigurationText.quotedForMessage(v.match)) has no opt-in label \(ConfigurationText.quotedForMessage(label)) (\(list))"))
                }
            }
            if let buckets = v.buckets {
                if let d = target, d.type != .histogram {
                    issues.append(ConfigurationIssue(path + ["buckets"], "\(ConfigurationText.quotedForMessage(v.match)) is a \(d.type.rawValue), not a histogram"))
                } else if let problem = Buckets.problem(buckets) {
                    issues.append(ConfigurationIssue(path + ["buckets"], problem))
                }
            }
            issues += Self.histogramIssues(v, target: target, path: path)
            if let limit = v.cardinalityLimit, !Self.cardinalityLimits.contains(limit) {
                let l = Self.cardinalityLimits
                issues.append(ConfigurationIssue(path + ["cardinality_limit"], "\(limit) is out of range \(l.lowerBound)…\(l.upperBound)"))
            }
        }
        return issues
    }
}

extension MetricViews {
    /// The problems of a view's `aggregation`, `max_buckets` and `schema`: histograms only, and
    /// values in range.
    static func histogramIssues(_ v: MetricView, target: MetricDescriptor?, path: [String]) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let set: [(String, Bool)] = [("aggregation", v.aggregation != nil), ("max_buckets", v.maxBuckets != nil), ("schema", v.schema != nil)]
        if let d = target, d.type != .histogram {
            for (key, present) in set where present {
                issues.append(ConfigurationIssue(path + [key], "\(ConfigurationText.quotedForMessage(v.match)) is a \(d.type.rawValue), not a histogram"))
            }
            return issues
        }
        if v.aggregation == .classic, v.maxBuckets != nil || v.schema != nil {
            issues.append(ConfigurationIssue(path + ["aggregation"], "max_buckets and schema shape native buckets; `aggregation: classic` has none (use native or classic_and_native)"))
        }
        issues += NativeHistogramSettings.issues(maxBuckets: v.maxBuckets, schema: v.schema, path: path)
        return issues
    }
}

extension NativeHistogramSettings {
    /// Range problems of `max_buckets` and `schema` (either may be absent), with key paths under `path`.
    public static func issues(maxBuckets: Int?, schema: Int?, path: [String]) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if let m = maxBuckets, !maxBucketsRange.contains(m) {
            issues.append(ConfigurationIssue(path + ["max_buckets"], "\(m) is out of range \(maxBucketsRange.lowerBound)…\(maxBucketsRange.upperBound)"))
        }
        if let s = schema, !schemas.contains(s) {
            issues.append(ConfigurationIssue(path + ["schema"], "\(s) is out of range \(schemas.lowerBound)…\(schemas.upperBound) (Prometheus' native histogram schemas)"))
        }
        return issues
    }
}

/// Glob matching over bytes: `*` any run (also empty), `?` exactly one byte.
enum Glob {
    static func matches(pattern p: [UInt8], name n: [UInt8]) -> Bool {
        var pi = 0, ni = 0
        var star = -1, mark = 0
        while ni < n.count {
            if pi < p.count && (p[pi] == 63 || p[pi] == n[ni]) {
                pi += 1; ni += 1
            } else if pi < p.count && p[pi] == 42 {
                star = pi; mark = ni; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ni = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == 42 { pi += 1 }
        return pi == p.count
    }
}
