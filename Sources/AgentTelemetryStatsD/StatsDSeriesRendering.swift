import AgentTelemetry

/// The parts of a StatsD line that never change for one series, rendered once.
///
/// A line is `head` + `:` + value + `|` + type [+ `|@rate`] + `tail`. Rendering a series costs a
/// few small allocations; after that each line is a copy of these bytes plus the formatted value.
public struct StatsDSeriesRendering: Sendable, Hashable {
    /// The metric kind of the series.
    public enum Kind: Sendable, Hashable {
        /// Sent as `|c`.
        case counter
        /// Sent as `|g`.
        case gauge
        /// Sent as `|ms` or `|h`; `scale` converts the observed value (1000 for seconds → ms).
        case observation(type: [UInt8], scale: Double)
    }

    /// Everything before the `:`: prefix, name, and for etsy and Telegraf the labels.
    public let head: [UInt8]
    /// Everything after the type and sample rate: DogStatsD `|#tags`, else empty.
    public let tail: [UInt8]
    /// How values of this series are typed and scaled.
    public let kind: Kind

    /// Creates a rendering from its parts (``StatsDLineEncoder/render(info:labels:)`` makes them).
    public init(head: [UInt8], tail: [UInt8], kind: Kind) {
        self.head = head
        self.tail = tail
        self.kind = kind
    }
}
