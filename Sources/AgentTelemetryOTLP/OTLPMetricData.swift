import AgentTelemetry

/// One metric with the data points of one export, ready to encode.
struct OTLPMetricData: Sendable {
    /// Name, help, unit and type of the family.
    let info: MetricFamilyInfo
    /// The points, in series creation order.
    var points: [OTLPDataPoint]
}

/// One data point as it goes on the wire, plus what to remember once the collector accepted it.
struct OTLPDataPoint: Sendable {
    /// What the point carries.
    enum Value: Sendable, Equatable {
        /// A sum or gauge value.
        case number(Double)
        /// A histogram; min and max are sent only when `hasMinMax` (they are unknown for a delta
        /// that does not start at the series' creation).
        /// Boxed, as `SeriesValue.histogram` is: held inline it would size every number point.
        indirect case histogram(HistogramValue, hasMinMax: Bool)
    }

    /// The registry's stable series id.
    let seriesID: UInt64
    /// Labels, sent as string attributes.
    let labels: LabelSet
    /// `start_time_unix_nano`.
    let startNanoseconds: UInt64
    /// `time_unix_nano`.
    let timeNanoseconds: UInt64
    /// The encoded value.
    let value: Value
    /// The cumulative reading this point was computed from; becomes the delta baseline on success.
    let cumulative: SeriesValue
    /// The series' exemplars recorded since the last accepted export (latest per bucket).
    var exemplars: [Exemplar] = []
}
