import AgentTelemetry

/// Reading metric values in tests, by exported name (after views) and labels. Common labels are
/// not series labels (exporters add them), so they are not part of `labels` here.
///
/// Each call takes a snapshot (which runs the registry's collectors, e.g. session expiry):
/// fine in a test, not meant for a hot path.
extension MetricRegistry {
    /// The counter `name` with exactly `labels`; `nil` when there is no such series.
    public func counterValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        guard case .counter(let v)? = seriesValue(name, labels) else { return nil }
        return v
    }

    /// The gauge `name` with exactly `labels`; `nil` when there is no such series.
    public func gaugeValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        guard case .gauge(let v)? = seriesValue(name, labels) else { return nil }
        return v
    }

    /// The histogram `name` with exactly `labels`; `nil` when there is no such series.
    public func histogramValue(_ name: String, _ labels: [String: String] = [:]) -> HistogramValue? {
        guard case .histogram(let h)? = seriesValue(name, labels) else { return nil }
        return h
    }

    /// The sum over every series of the counter or gauge `name` whose labels include `labels`
    /// (histograms: the sum of their counts); 0 when none matches.
    public func sumOfSeries(_ name: String, matching labels: [String: String] = [:]) -> Double {
        series(name).filter { s in labels.allSatisfy { s.labels[$0.key] == $0.value } }.reduce(0) { total, s in
            switch s.value {
            case .counter(let v), .gauge(let v): total + v
            case .histogram(let h): total + Double(h.count)
            }
        }
    }

    /// The label sets of every series of `name`, in creation order (empty when absent).
    public func labelSets(_ name: String) -> [[String: String]] {
        series(name).map { s in Dictionary(s.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// The value of the series of `name` with exactly `labels`.
    public func seriesValue(_ name: String, _ labels: [String: String] = [:]) -> SeriesValue? {
        series(name).first { s in
            s.labels.count == labels.count && labels.allSatisfy { s.labels[$0.key] == $0.value }
        }?.value
    }

    private func series(_ name: String) -> [SeriesSnapshot] {
        snapshot().family(named: name)?.series ?? []
    }
}
