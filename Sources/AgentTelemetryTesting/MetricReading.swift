import AgentTelemetry

/// Reading metric values in tests, by exported name (after views) and labels. Common labels are
/// not series labels (exporters add them), so they are not part of `labels` here.
extension MetricsSnapshot {
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

    /// The counter or gauge `name` with exactly `labels` (a histogram: its count); `nil` when
    /// there is no such series.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        seriesValue(name, labels).map(Self.number)
    }

    /// The sum over every series of `name` whose labels include `labels` (histograms: the sum
    /// of their counts); 0 when none matches.
    public func sumOfSeries(_ name: String, matching labels: [String: String] = [:]) -> Double {
        series(name).filter { s in labels.allSatisfy { s.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + Self.number($1.value) }
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

    /// The exemplars of the series of `name` with exactly `labels`, one slot per counter or per
    /// histogram bucket (the last for `+Inf`), nil where there is none; empty when the series has
    /// none or does not exist.
    public func exemplars(_ name: String, _ labels: [String: String] = [:]) -> [Exemplar?] {
        series(name).first { s in
            s.labels.count == labels.count && labels.allSatisfy { s.labels[$0.key] == $0.value }
        }?.exemplars ?? []
    }

    private func series(_ name: String) -> [SeriesSnapshot] { family(named: name)?.series ?? [] }

    private static func number(_ value: SeriesValue) -> Double {
        switch value {
        case .counter(let v), .gauge(let v): v
        case .histogram(let h): Double(h.count)
        }
    }
}

/// The same readings on the live registry: each call takes a snapshot (which runs the
/// registry's collectors, e.g. session expiry) — fine in a test, not meant for a hot path.
extension MetricRegistry {
    /// The counter `name` with exactly `labels`; `nil` when there is no such series.
    public func counterValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        snapshot().counterValue(name, labels)
    }

    /// The gauge `name` with exactly `labels`; `nil` when there is no such series.
    public func gaugeValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        snapshot().gaugeValue(name, labels)
    }

    /// The histogram `name` with exactly `labels`; `nil` when there is no such series.
    public func histogramValue(_ name: String, _ labels: [String: String] = [:]) -> HistogramValue? {
        snapshot().histogramValue(name, labels)
    }

    /// The exemplars of the series `name` with exactly `labels` (see `MetricsSnapshot.exemplars`).
    public func exemplars(_ name: String, _ labels: [String: String] = [:]) -> [Exemplar?] {
        snapshot().exemplars(name, labels)
    }

    /// The counter or gauge `name` with exactly `labels` (a histogram: its count).
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        snapshot().value(name, labels)
    }

    /// The sum over every series of `name` whose labels include `labels`; 0 when none matches.
    public func sumOfSeries(_ name: String, matching labels: [String: String] = [:]) -> Double {
        snapshot().sumOfSeries(name, matching: labels)
    }

    /// The label sets of every series of `name`, in creation order.
    public func labelSets(_ name: String) -> [[String: String]] {
        snapshot().labelSets(name)
    }

    /// The value of the series of `name` with exactly `labels`.
    public func seriesValue(_ name: String, _ labels: [String: String] = [:]) -> SeriesValue? {
        snapshot().seriesValue(name, labels)
    }
}
