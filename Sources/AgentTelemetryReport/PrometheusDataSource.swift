import Foundation

/// Report data from a Prometheus server over a window ending at `end`: counters as `increase`,
/// quantiles with `histogram_quantile` over `rate` of the buckets, gauges at `end`, peaks from a
/// range query. Each query is one HTTP request.
package struct PrometheusDataSource: ReportDataSource {
    /// The API client.
    package let client: PrometheusAPIClient
    /// The window.
    package let range: ReportTimeRange
    /// The end of the window (the evaluation time of instant queries).
    package let end: Date

    /// Creates a source for the window `range` ending at `end`.
    package init(client: PrometheusAPIClient, range: ReportTimeRange, end: Date) {
        self.client = client
        self.range = range
        self.end = end
    }

    package func evaluate(_ query: ReportQuery) async throws -> [ReportSeries] {
        if case let .peak(name) = query {
            let start = end.addingTimeInterval(-Double(range.seconds))
            let series = try await client.queryRange("sum(\(name))", start: start, end: end, step: max(1, range.seconds / 120))
            return series.compactMap { item in
                let finite = item.values.filter(\.isFinite)
                return finite.max().map { ReportSeries(labels: item.labels, value: $0) }
            }
        }
        return try await client.query(Self.promQL(query, range: range), at: end).map {
            ReportSeries(labels: $0.labels, value: $0.value)
        }
    }

    package func serviceAttributes() async throws -> [String: String] {
        if let info = try await client.query("target_info", at: end).first {
            return info.labels.filter { $0.key != "__name__" }
        }
        let up = try await client.query("up", at: end)
        guard let first = up.first(where: { $0.value == 1 }) ?? up.first else { return [:] }
        return first.labels.filter { $0.key == "job" || $0.key == "instance" }
    }

    /// The PromQL expression for `query` over `range`.
    package static func promQL(_ query: ReportQuery, range: ReportTimeRange) -> String {
        let r = range.text
        switch query {
        case let .quantile(q, histogram, by):
            return "histogram_quantile(\(q), sum by (\((["le"] + by).joined(separator: ", "))) (rate(\(histogram)_bucket[\(r)])))"
        case let .total(counter, by, matching):
            return "sum\(grouping(by)) (increase(\(counter)\(selector(matching))[\(r)]))"
        case let .ratio(counter, by, numerator):
            let all = "sum\(grouping(by)) (increase(\(counter)[\(r)]))"
            let part = "sum\(grouping(by)) (increase(\(counter)\(selector(numerator))[\(r)]))"
            // `or ... * 0` keeps groups without a matching series at 0 instead of dropping them.
            return "(\(part) or \(all) * 0) / \(all)"
        case let .gauge(name, by):
            return "sum\(grouping(by)) (\(name))"
        case let .peak(name):
            return "max_over_time(sum(\(name))[\(r):])"
        }
    }

    static func grouping(_ by: [String]) -> String {
        by.isEmpty ? "" : " by (\(by.joined(separator: ", ")))"
    }

    static func selector(_ matching: [String: String]) -> String {
        guard !matching.isEmpty else { return "" }
        let pairs = matching.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }
}
