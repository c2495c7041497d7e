import AgentTelemetry

/// Renders metrics as the Prometheus protobuf exposition: length-delimited
/// `io.prometheus.client.MetricFamily` messages, the format a Prometheus with native histograms
/// enabled asks for first, and the only one that carries native (exponential) buckets.
///
/// Every family type is written (counters, gauges, histograms with their classic buckets and,
/// when aggregated natively, their schema, zero bucket, spans and bucket deltas). Labels are
/// the series' own plus the registry's common labels (a family's own label of the same name
/// wins), as in the text formats. Hand-written on the package's `ProtobufWriter`; the tests check
/// it with an independent decoder (the Python `protobuf` runtime) and with Prometheus itself.
///
/// Cost: it reads a snapshot (one copy per series), so a scrape costs more than the text
/// encoder's in-place rendering; the scrapers asking for it are Prometheus servers with native
/// histograms enabled, once per scrape interval.
public struct PrometheusProtobufEncoder: Sendable {
    /// Field numbers of `io.prometheus.client` (client_model `metrics.proto`).
    enum Field {
        static let familyName = 1, familyHelp = 2, familyType = 3, familyMetric = 4
        static let metricLabel = 1, metricGauge = 2, metricCounter = 3, metricHistogram = 7
        static let labelName = 1, labelValue = 2
        static let gaugeValue = 1
        static let counterValue = 1, counterExemplar = 2, counterCreated = 3
        static let histCount = 1, histSum = 2, histBucket = 3, histSchema = 5, histZeroThreshold = 6, histZeroCount = 7
        static let histNegativeSpan = 9, histNegativeDelta = 10, histPositiveSpan = 12, histPositiveDelta = 13
        static let histCreated = 15, histExemplars = 16
        static let bucketCumulativeCount = 1, bucketUpperBound = 2, bucketExemplar = 3
        static let spanOffset = 1, spanLength = 2
        static let exemplarLabel = 1, exemplarValue = 2, exemplarTimestamp = 3
        static let timestampSeconds = 1, timestampNanos = 2
    }

    /// `io.prometheus.client.MetricType` values.
    enum MetricTypeValue {
        static let counter: UInt64 = 0, gauge: UInt64 = 1, histogram: UInt64 = 4
    }

    /// A run of zero buckets longer than this starts a new span (a span costs about four bytes,
    /// a zero delta one).
    static let longestZeroRunInSpan = 2

    /// Creates an encoder.
    public init() {}

    /// Renders the registry's current state, appending to `out`.
    public func encode(registry: MetricRegistry, into out: inout [UInt8]) {
        encode(registry.snapshot(), into: &out)
    }

    /// Renders `snapshot`, appending to `out`. Families without series are left out.
    public func encode(_ snapshot: MetricsSnapshot, into out: inout [UInt8]) {
        var family = ProtobufWriter(capacity: 4096)
        var delimited = ProtobufWriter(capacity: 0)
        swap(&delimited.bytes, &out)
        for f in snapshot.families where !f.series.isEmpty {
            family.bytes.removeAll(keepingCapacity: true)
            writeFamily(f, commonLabels: snapshot.commonLabels, into: &family)
            delimited.writeVarint(UInt64(family.bytes.count))
            delimited.bytes.append(contentsOf: family.bytes)
        }
        swap(&delimited.bytes, &out)
    }

    /// Renders `snapshot` into a new buffer.
    public func encode(_ snapshot: MetricsSnapshot) -> [UInt8] {
        var out: [UInt8] = []
        encode(snapshot, into: &out)
        return out
    }

    private func writeFamily(_ f: FamilySnapshot, commonLabels: LabelSet, into w: inout ProtobufWriter) {
        let info = f.info
        w.writeStringField(Field.familyName, info.name)
        if !info.help.isEmpty { w.writeStringField(Field.familyHelp, info.help) }
        let type: UInt64 = switch info.type {
        case .counter: MetricTypeValue.counter
        case .gauge: MetricTypeValue.gauge
        case .histogram: MetricTypeValue.histogram
        }
        w.writeVarintField(Field.familyType, type)
        // Common labels this family does not have itself, in name order after its own.
        let common = commonLabels.pairs.filter { !info.labelNames.contains($0.name) }
        for s in f.series {
            w.writeMessage(Field.familyMetric) { w in
                for (name, value) in s.labels.pairs + common {
                    w.writeMessage(Field.metricLabel) { w in
                        w.writeStringField(Field.labelName, name)
                        w.writeStringField(Field.labelValue, value)
                    }
                }
                switch s.value {
                case .counter(let v):
                    w.writeMessage(Field.metricCounter) { w in
                        w.writeDoubleField(Field.counterValue, v)
                        if let e = s.exemplars.first ?? nil { Self.writeExemplar(Field.counterExemplar, e, into: &w) }
                        Self.writeTimestamp(Field.counterCreated, s.startNanoseconds, into: &w)
                    }
                case .gauge(let v):
                    w.writeMessage(Field.metricGauge) { w in w.writeDoubleField(Field.gaugeValue, v) }
                case .histogram(let h):
                    w.writeMessage(Field.metricHistogram) { w in Self.writeHistogram(h, s, into: &w) }
                }
            }
        }
    }

    private static func writeHistogram(_ h: HistogramValue, _ s: SeriesSnapshot, into w: inout ProtobufWriter) {
        w.writeVarintField(Field.histCount, h.count)
        w.writeDoubleField(Field.histSum, h.sum)
        // Classic buckets: cumulative, finite bounds only (+Inf is the count). A native-only
        // histogram has none.
        let classicExemplars = h.native == nil || !h.bounds.isEmpty
        var cumulative: UInt64 = 0
        for (i, bound) in h.bounds.enumerated() {
            cumulative &+= i < h.bucketCounts.count ? h.bucketCounts[i] : 0
            w.writeMessage(Field.histBucket) { w in
                w.writeVarintField(Field.bucketCumulativeCount, cumulative)
                w.writeDoubleField(Field.bucketUpperBound, bound)
                if classicExemplars, i < s.exemplars.count, let e = s.exemplars[i] { writeExemplar(Field.bucketExemplar, e, into: &w) }
            }
        }
        if let n = h.native {
            w.writeSignedVarintField(Field.histSchema, Int64(n.schema))
            w.writeDoubleField(Field.histZeroThreshold, n.zeroThreshold)
            w.writeVarintField(Field.histZeroCount, n.zeroCount)
            writeBuckets(n.negative, spanField: Field.histNegativeSpan, deltaField: Field.histNegativeDelta, into: &w)
            if n.positive.counts.isEmpty {
                // A native histogram without positive buckets carries a no-op span, so that no
                // reader takes it for a classic one.
                w.writeMessage(Field.histPositiveSpan) { w in
                    w.writeSignedVarintField(Field.spanOffset, 0)
                    w.writeVarintField(Field.spanLength, 0)
                }
            } else {
                writeBuckets(n.positive, spanField: Field.histPositiveSpan, deltaField: Field.histPositiveDelta, into: &w)
            }
        }
        writeTimestamp(Field.histCreated, s.startNanoseconds, into: &w)
        if h.native != nil {
            // Native exemplars (each with its timestamp), lowest value first.
            for e in s.exemplars.compactMap({ $0 }).sorted(by: { $0.value < $1.value }) {
                writeExemplar(Field.histExemplars, e, into: &w)
            }
        }
    }

    /// Spans and deltas of one sign. Prometheus numbers a bucket one above OpenTelemetry's index;
    /// the first span's offset is that number, later spans' the count of buckets skipped; each
    /// delta is the bucket's count minus the previous written bucket's.
    private static func writeBuckets(_ run: NativeBucketRun, spanField: Int, deltaField: Int, into w: inout ProtobufWriter) {
        guard !run.counts.isEmpty else { return }
        let spans = spans(of: run)
        for span in spans {
            w.writeMessage(spanField) { w in
                w.writeSignedVarintField(Field.spanOffset, Int64(span.offset))
                w.writeVarintField(Field.spanLength, UInt64(span.length))
            }
        }
        var previous: Int64 = 0
        for span in spans {
            for k in span.start..<(span.start + span.length) {
                let count = Int64(clamping: run.counts[k])
                w.writeSignedVarintField(deltaField, count &- previous)
                previous = count
            }
        }
    }

    /// The spans of a run: `start` is the position in `run.counts`, `offset` as the format wants it.
    static func spans(of run: NativeBucketRun) -> [(offset: Int, start: Int, length: Int)] {
        var spans: [(offset: Int, start: Int, length: Int)] = []
        var k = 0
        var lastEnd = 0  // position after the previous span
        let counts = run.counts
        while k < counts.count {
            // Skip zeros (never at the ends of a run).
            var zeros = 0
            while k + zeros < counts.count && counts[k + zeros] == 0 { zeros += 1 }
            if !spans.isEmpty && zeros <= longestZeroRunInSpan {
                spans[spans.count - 1].length += zeros
                k += zeros
            } else {
                k += zeros
                let offset = spans.isEmpty ? run.offset + k + 1 : k - lastEnd
                spans.append((offset, k, 0))
            }
            while k < counts.count && counts[k] != 0 {
                spans[spans.count - 1].length += 1
                k += 1
            }
            lastEnd = k
        }
        return spans
    }

    /// An `Exemplar`: `trace_id` and `span_id` labels (hex, as the OpenMetrics text writes them),
    /// the value and the timestamp.
    private static func writeExemplar(_ field: Int, _ e: Exemplar, into w: inout ProtobufWriter) {
        w.writeMessage(field) { w in
            for (name, value) in [("trace_id", e.trace.traceIDHex), ("span_id", e.trace.spanIDHex)] {
                w.writeMessage(Field.exemplarLabel) { w in
                    w.writeStringField(Field.labelName, name)
                    w.writeStringField(Field.labelValue, value)
                }
            }
            w.writeDoubleField(Field.exemplarValue, e.value)
            writeTimestamp(Field.exemplarTimestamp, e.timestampNanoseconds, into: &w)
        }
    }

    /// A `google.protobuf.Timestamp`: seconds and nanoseconds.
    private static func writeTimestamp(_ field: Int, _ nanoseconds: UInt64, into w: inout ProtobufWriter) {
        w.writeMessage(field) { w in
            w.writeVarintField(Field.timestampSeconds, nanoseconds / 1_000_000_000)
            let nanos = nanoseconds % 1_000_000_000
            if nanos > 0 { w.writeVarintField(Field.timestampNanos, nanos) }
        }
    }
}
