/// What a report asks a data source for. Names are full metric names (namespace applied).
///
/// Counters are read as totals: over the window (`increase`) from Prometheus, since process start
/// from an exposition. Label equality filters are given as `[name: value]`.
package enum ReportQuery: Sendable, Hashable {
    /// The `q`-quantile of a histogram, summed over all series and grouped by `by`.
    case quantile(Double, histogram: String, by: [String])
    /// The total of a counter (restricted to `matching`), grouped by `by`.
    case total(counter: String, by: [String], matching: [String: String])
    /// The share of a counter's total that matches `numerator`, grouped by `by` (0–1).
    case ratio(counter: String, by: [String], numerator: [String: String])
    /// The current value of a gauge, summed and grouped by `by`.
    case gauge(String, by: [String])
    /// The highest value of a gauge (summed over all series) seen in the window; a range query.
    case peak(String)
}

/// One series of a query result: its grouping labels and its value (`nil` when undefined, e.g. 0/0).
package struct ReportSeries: Sendable, Equatable {
    /// The grouping labels.
    package var labels: [String: String]
    /// The value; `nil` for NaN, ±Inf or no data.
    package var value: Double?

    /// Creates a series; non-finite values become `nil`.
    package init(labels: [String: String], value: Double?) {
        self.labels = labels
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
    }
}

/// A source of report data: an exposition (point in time) or a Prometheus server (a window).
package protocol ReportDataSource: Sendable {
    /// Evaluates one query. Throws when the source cannot be reached or answers with an error.
    func evaluate(_ query: ReportQuery) async throws -> [ReportSeries]
    /// The agent's service attributes: the labels of `target_info`, else `job`/`instance`.
    func serviceAttributes() async throws -> [String: String]
}

/// Something that knows which alerts fire (Prometheus, Alertmanager).
package protocol ReportAlertSource: Sendable {
    /// The alerts firing now.
    func firingAlerts() async throws -> [ReportAlert]
}
