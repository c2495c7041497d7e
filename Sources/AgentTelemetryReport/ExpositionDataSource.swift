/// Report data from one exposition: counters are totals since process start, quantiles come from
/// the histogram buckets as Prometheus's `histogram_quantile` computes them, ratios from counter totals.
package struct ExpositionDataSource: ReportDataSource {
    /// The parsed exposition.
    package let exposition: Exposition
    /// The `instance` to report when the exposition has no `target_info` (host:port of the URL).
    package let instance: String?

    /// Creates a source over a parsed exposition.
    package init(exposition: Exposition, instance: String? = nil) {
        self.exposition = exposition
        self.instance = instance
    }

    package func evaluate(_ query: ReportQuery) async throws -> [ReportSeries] {
        switch query {
        case let .quantile(q, histogram, by):
            var groups: [[String: String]: [Double: Double]] = [:]
            for sample in exposition.samples(named: histogram + "_bucket") {
                guard let le = sample.labels["le"], let bound = Self.bound(le) else { continue }
                groups[Self.key(sample.labels, by), default: [:]][bound, default: 0] += sample.value
            }
            return groups.map { ReportSeries(labels: $0.key, value: HistogramQuantile.quantile(q, buckets: $0.value)) }
        case let .total(counter, by, matching):
            return sum(counter, by: by, matching: matching).map { ReportSeries(labels: $0.key, value: $0.value) }
        case let .ratio(counter, by, numerator):
            let all = sum(counter, by: by, matching: [:])
            let part = sum(counter, by: by, matching: numerator)
            return all.map { key, total in
                ReportSeries(labels: key, value: total > 0 ? (part[key] ?? 0) / total : nil)
            }
        case let .gauge(name, by):
            return sum(name, by: by, matching: [:]).map { ReportSeries(labels: $0.key, value: $0.value) }
        case let .peak(name):
            return sum(name, by: [], matching: [:]).map { ReportSeries(labels: $0.key, value: $0.value) }
        }
    }

    package func serviceAttributes() async throws -> [String: String] {
        if let info = exposition.samples(named: "target_info").first { return info.labels }
        return instance.map { ["instance": $0] } ?? [:]
    }

    func sum(_ name: String, by: [String], matching: [String: String]) -> [[String: String]: Double] {
        var groups: [[String: String]: Double] = [:]
        for sample in exposition.samples(named: name) where matching.allSatisfy({ sample.labels[$0.key] == $0.value }) {
            groups[Self.key(sample.labels, by), default: 0] += sample.value
        }
        return groups
    }

    /// The group of a sample: its values of the `by` labels. An empty value is an absent label, as
    /// in PromQL's `sum by`, so a label no sample has (an opt-in label left off) gives one group.
    static func key(_ labels: [String: String], _ by: [String]) -> [String: String] {
        var key: [String: String] = [:]
        for name in by {
            if let value = labels[name], !value.isEmpty { key[name] = value }
        }
        return key
    }

    static func bound(_ le: String) -> Double? {
        switch le.lowercased() {
        case "+inf", "inf": .infinity
        default: Double(le)
        }
    }
}
