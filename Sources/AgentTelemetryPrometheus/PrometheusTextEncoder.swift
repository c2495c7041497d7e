import AgentTelemetry

/// Renders metrics as Prometheus text 0.0.4 or OpenMetrics 1.0.
///
/// Rendering appends into a caller-owned `[UInt8]` (reuse it across scrapes to avoid
/// reallocation). Label sets come pre-escaped from the registry, so a series costs a few
/// `append(contentsOf:)` calls and one number formatting; no strings are built per series
/// except for non-integral sample values. `encode(registry:into:)` reads live series in place
/// (no snapshot is built), which is what the `/metrics` endpoint uses; `encode(_:into:)`
/// renders a `MetricsSnapshot` with the same bytes.
public struct PrometheusTextEncoder: Sendable {
    /// The format produced.
    public let format: ExpositionFormat

    /// Creates an encoder for `format`.
    public init(format: ExpositionFormat = .prometheusText) {
        self.format = format
    }

    /// Renders `snapshot`, appending to `out`. Families without series are left out.
    public func encode(_ snapshot: MetricsSnapshot, into out: inout [UInt8]) {
        let openMetrics = format == .openMetrics
        ByteSink.appending(to: &out) { sink in
            var w = Writer(openMetrics: openMetrics, commonLabels: snapshot.commonLabels)
            for family in snapshot.families { w.family(family, into: &sink) }
            if openMetrics { sink.write(Writer.eof) }
        }
    }

    /// Renders `snapshot` into a new buffer.
    public func encode(_ snapshot: MetricsSnapshot) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(snapshot.seriesCount * 64 + 1024)
        encode(snapshot, into: &out)
        return out
    }

    /// Renders the registry's current state, reading each series in place: no snapshot is built,
    /// each family's lock is held only while its series references are copied, and a histogram's
    /// lock only while its counts are copied into a reused scratch buffer.
    ///
    /// Cost: about one `memcpy` of the sample name and one of the series' pre-rendered label block
    /// per line, plus the digits; each family's header is rendered on its first scrape and reused.
    public func encode(registry: MetricRegistry, into out: inout [UInt8]) {
        let openMetrics = format == .openMetrics
        let (live, health) = registry.liveView()
        let commonLabels = registry.commonLabels
        ByteSink.appending(to: &out) { sink in
            var w = Writer(openMetrics: openMetrics, commonLabels: commonLabels)
            var h = 0
            for family in live {
                let name = family.info.name
                while h < health.count && health[h].info.name < name {
                    w.family(health[h], into: &sink)
                    h += 1
                }
                switch family {
                case .counter(let f): w.counters(f, into: &sink)
                case .gauge(let f): w.gauges(f, into: &sink)
                case .histogram(let f): w.histograms(f, into: &sink)
                }
            }
            while h < health.count {
                w.family(health[h], into: &sink)
                h += 1
            }
            if openMetrics { sink.write(Writer.eof) }
        }
    }

    /// Appends HELP text escaped: `\` → `\\`, newline → `\n` (and, for OpenMetrics, `"` → `\"`).
    static func appendEscapedHelp(_ help: String, to out: inout [UInt8], openMetrics: Bool) {
        for b in help.utf8 {
            switch b {
            case 92: out.append(92); out.append(92)
            case 10: out.append(92); out.append(110)
            case 34 where openMetrics: out.append(92); out.append(34)
            default: out.append(b)
            }
        }
    }
}

/// Calls `body` with each element of `list`, borrowed: `list` keeps them alive for the whole
/// loop, so no element is retained and released (ARC traffic measured ~40 % of the per-series
/// time of a counter scrape before this). The elements are read as `Unmanaged` references, which
/// have the same layout as the strong references the array holds.
@inline(__always)
func forEachBorrowed<T: AnyObject>(_ list: [T], _ body: (T) -> Void) {
    list.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        for i in 0..<buffer.count {
            raw.load(fromByteOffset: i &* MemoryLayout<T>.stride, as: Unmanaged<T>.self)._withUnsafeGuaranteedRef(body)
        }
    }
}

/// The byte-level writing shared by the snapshot and the live paths.
struct Writer {
    let openMetrics: Bool
    /// Scratch for histogram bucket counts, reused across series.
    private var counts: [UInt64] = []
    /// Scratch for the `name_bucket{labels,` prefix of one series, reused across series.
    private var bucketPrefix: [UInt8] = []
    /// The registry's common labels, written after each series' own labels.
    private let commonLabels: LabelSet
    /// `k="v",…` of the common labels, rendered once.
    private let allCommon: [UInt8]
    /// The common labels for the family being written: `allCommon`, or fewer when the family has
    /// a label of the same name (the family's own label wins; a name must not appear twice).
    private var common: [UInt8]

    init(openMetrics: Bool, commonLabels: LabelSet = .empty) {
        self.openMetrics = openMetrics
        self.commonLabels = commonLabels
        self.allCommon = commonLabels.prometheusText
        self.common = allCommon
    }

    /// The family's pre-rendered bytes in this writer's format; also chooses the common labels
    /// for the family's lines (nothing to do without common labels, else one pass over the
    /// family's label names).
    private mutating func rendering(_ info: MetricFamilyInfo) -> FamilyRendering.Format {
        if commonLabels.count > 0 {
            let own = info.labelNames
            if !own.contains(where: { commonLabels[$0] != nil }) {
                common = allCommon
            } else {
                let kept = commonLabels.pairs.filter { !own.contains($0.name) }
                common = LabelSet(names: kept.map(\.name), values: kept.map(\.value)).prometheusText
            }
        }
        let r = FamilyRendering.of(info)
        return openMetrics ? r.openMetrics : r.prometheus
    }

    // MARK: Families

    /// Runs `body` with the line format of the family being written (the format and its common
    /// labels, as a trivial value: the per-series closures capture it instead of the writer,
    /// whose copies cost a retain and release per stored array and series).
    private func withLineFormat<R>(_ body: (LineFormat) -> R) -> R {
        common.withUnsafeBufferPointer { body(LineFormat(openMetrics: openMetrics, common: $0)) }
    }

    mutating func counters(_ f: CounterFamily, into sink: inout ByteSink) {
        let list = f.allSeries
        guard !list.isEmpty else { return }
        let r = rendering(f.info)
        sink.write(r.header)
        withLineFormat { fmt in
            r.sample.withUnsafeBufferPointer { sample in
                r.created.withUnsafeBufferPointer { created in
                    forEachBorrowed(list) { s in
                        s.context.labels.prometheusText.withUnsafeBufferPointer { labels in
                            sink.write(sample)
                            fmt.appendLabels(labels, &sink)
                            sink.write(32)
                            // Counters are nearly always whole numbers: print the integer directly.
                            if let whole = s.integralValue { sink.writeUInt(whole) } else { sink.writeDouble(s.value) }
                            if fmt.openMetrics, let e = s.exemplar { Writer.writeExemplar(e, &sink) }
                            sink.write(10)
                            if fmt.openMetrics { fmt.createdLine(created, labels, s.createdNanoseconds, &sink) }
                        }
                    }
                }
            }
        }
    }

    mutating func gauges(_ f: GaugeFamily, into sink: inout ByteSink) {
        let list = f.allSeries
        guard !list.isEmpty else { return }
        let r = rendering(f.info)
        sink.write(r.header)
        withLineFormat { fmt in
            r.sample.withUnsafeBufferPointer { sample in
                forEachBorrowed(list) { s in
                    s.context.labels.prometheusText.withUnsafeBufferPointer { fmt.line(sample, $0, s.value, &sink) }
                }
            }
        }
    }

    mutating func histograms(_ f: HistogramFamily, into sink: inout ByteSink) {
        let list = f.allSeries
        guard !list.isEmpty else { return }
        let r = rendering(f.info)
        sink.write(r.header)
        let bounds = f.info.buckets
        forEachBorrowed(list) { s in
            let (sum, count) = s.read(into: &counts)
            // Read after the counts: an exemplar seen here belongs to an observation already counted.
            let exemplars = openMetrics ? s.exemplars : []
            s.context.labels.prometheusText.withUnsafeBufferPointer { labels in
                histogramLines(r, r.les, labels, counts, bounds, sum, count, s.createdNanoseconds, exemplars, &sink)
            }
        }
    }

    /// A family from a snapshot (any kind).
    mutating func family(_ family: FamilySnapshot, into sink: inout ByteSink) {
        guard !family.series.isEmpty else { return }
        let r = rendering(family.info)
        sink.write(r.header)
        switch family.info.type {
        case .counter:
            withLineFormat { fmt in
                r.sample.withUnsafeBufferPointer { sample in
                    for s in family.series {
                        guard case .counter(let v) = s.value else { continue }
                        let exemplar = fmt.openMetrics ? s.exemplars.first ?? nil : nil
                        fmt.line(sample, s.labels.prometheusText, v, exemplar: exemplar, &sink)
                        if fmt.openMetrics { fmt.createdLine(r.created, s.labels.prometheusText, s.startNanoseconds, &sink) }
                    }
                }
            }
        case .gauge:
            withLineFormat { fmt in
                r.sample.withUnsafeBufferPointer { sample in
                    for s in family.series {
                        guard case .gauge(let v) = s.value else { continue }
                        fmt.line(sample, s.labels.prometheusText, v, &sink)
                    }
                }
            }
        case .histogram:
            var les = r.les
            var lesBounds = family.info.buckets
            for s in family.series {
                guard case .histogram(let h) = s.value else { continue }
                if h.bounds != lesBounds {
                    les = LeFragments(h.bounds, openMetrics: openMetrics)
                    lesBounds = h.bounds
                }
                s.labels.prometheusText.withUnsafeBufferPointer { labels in
                    histogramLines(r, les, labels, h.bucketCounts, h.bounds, h.sum, h.count, s.startNanoseconds,
                                   openMetrics ? s.exemplars : [], &sink)
                }
            }
        }
    }

    // MARK: Lines

    private mutating func histogramLines(_ r: FamilyRendering.Format, _ les: LeFragments, _ labels: UnsafeBufferPointer<UInt8>, _ bucketCounts: [UInt64],
                                         _ bounds: [Double], _ sum: Double, _ count: UInt64, _ created: UInt64,
                                         _ exemplars: [Exemplar?], _ sink: inout ByteSink) {
        // The part before `le=` is the same on every bucket line of the series: build it once.
        bucketPrefix.removeAll(keepingCapacity: true)
        bucketPrefix.append(contentsOf: r.bucket)
        bucketPrefix.append(123)  // {
        if !labels.isEmpty {
            bucketPrefix.append(contentsOf: labels)
            bucketPrefix.append(44)  // ,
        }
        if !common.isEmpty {
            bucketPrefix.append(contentsOf: common)
            bucketPrefix.append(44)  // ,
        }
        var cumulative: UInt64 = 0
        bucketPrefix.withUnsafeBufferPointer { prefix in
            les.bytes.withUnsafeBufferPointer { fragments in
                les.ends.withUnsafeBufferPointer { ends in
                    bucketCounts.withUnsafeBufferPointer { counts in
                        var start = 0
                        for i in 0..<min(counts.count, ends.count) {
                            cumulative &+= counts[i]
                            let end = ends[i]
                            sink.write(prefix)
                            sink.write(UnsafeBufferPointer(rebasing: fragments[start..<end]))
                            start = end
                            sink.write(125)  // }
                            sink.write(32)
                            sink.writeUInt(cumulative)
                            if i < exemplars.count, let e = exemplars[i] { Writer.writeExemplar(e, &sink) }
                            sink.write(10)
                        }
                    }
                }
            }
        }
        withLineFormat { fmt in
            // OpenMetrics: a histogram with negative bucket thresholds must not expose _sum.
            if !(openMetrics && (bounds.first ?? 0) < 0) {
                r.sum.withUnsafeBufferPointer { fmt.line($0, labels, sum, &sink) }
            }
            sink.write(r.count)
            fmt.appendLabels(labels, &sink)
            sink.write(32)
            sink.writeUInt(count)
            sink.write(10)
            if openMetrics { fmt.createdLine(r.created, labels, created, &sink) }
        }
    }

    /// ` # {trace_id="…",span_id="…"} value timestamp`, the OpenMetrics 1.0 exemplar after a
    /// counter's `_total` or a histogram's `_bucket` sample (OpenMetrics only: the 0.0.4 text
    /// format has no exemplars). The label set is always these two labels, 63 characters, within
    /// the format's limit of 128.
    static func writeExemplar(_ e: Exemplar, _ sink: inout ByteSink) {
        // The fixed part with the 48 hex digits is built in one 82-byte stack buffer (two digits per
        // table look-up) and written with one copy, instead of 48 one-byte writes.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: exemplarFixedLength) { buffer in
            guard let base = buffer.baseAddress else { return }
            let digits = hexDigits
            var i = 0
            func put(_ bytes: [UInt8]) { for b in bytes { base[i] = b; i &+= 1 } }
            func hex(_ v: UInt64) {
                var shift: UInt64 = 56
                while true {
                    let byte = Int(truncatingIfNeeded: (v >> shift) & 0xff)
                    base[i] = digits[byte &* 2]
                    base[i &+ 1] = digits[byte &* 2 &+ 1]
                    i &+= 2
                    if shift == 0 { return }
                    shift -= 8
                }
            }
            put(exemplarTraceOpen)
            hex(e.trace.traceIDHigh)
            hex(e.trace.traceIDLow)
            put(exemplarSpanOpen)
            hex(e.trace.spanID)
            put(exemplarClose)
            sink.write(UnsafeBufferPointer(start: base, count: i))
        }
        sink.writeDouble(e.value, openMetricsStyle: true)
        sink.write(32)
        sink.writeSeconds(nanoseconds: e.timestampNanoseconds)
    }

    /// ` # {trace_id="` + 32 digits + `",span_id="` + 16 digits + `"} `.
    static let exemplarFixedLength = exemplarTraceOpen.count + 32 + exemplarSpanOpen.count + 16 + exemplarClose.count
    /// Two lowercase hex digits per byte value, 512 bytes.
    static let hexDigits: [UInt8] = (0..<256).flatMap { b -> [UInt8] in
        let d = Array("0123456789abcdef".utf8)
        return [d[b >> 4], d[b & 0xf]]
    }

    static let exemplarTraceOpen = Array(" # {trace_id=\"".utf8)
    static let exemplarSpanOpen = Array("\",span_id=\"".utf8)
    static let exemplarClose = Array("\"} ".utf8)
    static let hashHelp = Array("# HELP ".utf8)
    static let hashType = Array("# TYPE ".utf8)
    static let counterWord = Array(" counter\n".utf8)
    static let gaugeWord = Array(" gauge\n".utf8)
    static let histogramWord = Array(" histogram\n".utf8)
    static let totalSuffix = Array("_total".utf8)
    static let createdSuffix = Array("_created".utf8)
    static let bucketSuffix = Array("_bucket".utf8)
    static let sumSuffix = Array("_sum".utf8)
    static let countSuffix = Array("_count".utf8)
    static let leOpen = Array("le=\"".utf8)
    static let leInf = Array("le=\"+Inf\"".utf8)
    static let eof = Array("# EOF\n".utf8)
}

/// What a sample line needs besides its own bytes: the format and the common labels of the
/// family being written. A trivial value, so that per-series closures can capture it for free.
struct LineFormat {
    let openMetrics: Bool
    /// `k="v",…` of the common labels for this family (empty without common labels).
    let common: UnsafeBufferPointer<UInt8>

    @inline(__always)
    func appendLabels(_ labels: [UInt8], _ sink: inout ByteSink) {
        labels.withUnsafeBufferPointer { appendLabels($0, &sink) }
    }

    /// `{labels}`, `{labels,common}` or `{common}`; nothing when both are empty.
    @inline(__always)
    func appendLabels(_ labels: UnsafeBufferPointer<UInt8>, _ sink: inout ByteSink) {
        if common.isEmpty {
            if labels.isEmpty { return }
            sink.write(123)
            sink.write(labels)
            sink.write(125)
            return
        }
        sink.write(123)
        if !labels.isEmpty {
            sink.write(labels)
            sink.write(44)
        }
        sink.write(common)
        sink.write(125)
    }

    @inline(__always)
    func line(_ name: UnsafeBufferPointer<UInt8>, _ labels: [UInt8], _ value: Double, exemplar: Exemplar? = nil, _ sink: inout ByteSink) {
        labels.withUnsafeBufferPointer { line(name, $0, value, exemplar: exemplar, &sink) }
    }

    /// `name{labels} value`, then the exemplar when there is one (OpenMetrics counters).
    @inline(__always)
    func line(_ name: UnsafeBufferPointer<UInt8>, _ labels: UnsafeBufferPointer<UInt8>, _ value: Double, exemplar: Exemplar? = nil,
              _ sink: inout ByteSink) {
        sink.write(name)
        appendLabels(labels, &sink)
        sink.write(32)
        sink.writeDouble(value)
        if let exemplar { Writer.writeExemplar(exemplar, &sink) }
        sink.write(10)
    }

    /// `name{labels} seconds` for an OpenMetrics `_created` sample, exact to the nanosecond.
    func createdLine(_ name: [UInt8], _ labels: [UInt8], _ nanoseconds: UInt64, _ sink: inout ByteSink) {
        name.withUnsafeBufferPointer { name in
            labels.withUnsafeBufferPointer { createdLine(name, $0, nanoseconds, &sink) }
        }
    }

    func createdLine(_ name: [UInt8], _ labels: UnsafeBufferPointer<UInt8>, _ nanoseconds: UInt64, _ sink: inout ByteSink) {
        name.withUnsafeBufferPointer { createdLine($0, labels, nanoseconds, &sink) }
    }

    @inline(__always)
    func createdLine(_ name: UnsafeBufferPointer<UInt8>, _ labels: UnsafeBufferPointer<UInt8>, _ nanoseconds: UInt64, _ sink: inout ByteSink) {
        sink.write(name)
        appendLabels(labels, &sink)
        sink.write(32)
        sink.writeSeconds(nanoseconds: nanoseconds)
        sink.write(10)
    }
}
