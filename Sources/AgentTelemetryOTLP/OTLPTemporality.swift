/// How sums and histograms report their values over time.
public enum OTLPTemporality: String, Sendable, Hashable, CaseIterable {
    /// Each point carries the total since the series started (OTLP `AGGREGATION_TEMPORALITY_CUMULATIVE`).
    case cumulative
    /// Each point carries the change since the last successful export of the series
    /// (OTLP `AGGREGATION_TEMPORALITY_DELTA`).
    case delta

    /// The OTLP `AggregationTemporality` enum value.
    var protoValue: UInt64 {
        switch self {
        case .delta: 1
        case .cumulative: 2
        }
    }
}
