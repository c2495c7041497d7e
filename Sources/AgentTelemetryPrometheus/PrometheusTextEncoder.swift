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
        var w = Writer(openMetrics: format == .openMetrics, commonLabels: snapshot.commonLabels)
        for family in snapshot.families { w.family(family, into: &out) }
        if w.openMetrics { out.append(contentsOf: Writer.eof) }
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
    public func encode(registry: MetricRegistry, into out: inout [UInt8]) {
        var w = Writer(openMetrics: format == .openMetrics, commonLabels: registry.commonLabels)
        let (live, health) = registry.liveView()
        var h = 0
        for family in live {
            let name = family.info.name
            while h < health.count && health[h].info.name < name {
                w.family(health[h], into: &out)
                h += 1
            }
            switch family {
            case .counter(let f): w.counters(f, into: &out)
            case .gauge(let f): w.gauges(f, into: &out)
            case .histogram(let f): w.histograms(f, into: &out)
            }
        }
        while h < health.count {
            w.family(health[h], into: &out)
            h += 1
        }
        if w.openMetrics { out.append(contentsOf: Writer.eof) }
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

/// The byte-level writing shared by the snapshot and the live paths.
struct Writer {
    let openMetrics: Bool
    /// Scratch for histogram bucket counts, reused across series.
    private var counts: [UInt64] = []
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

    /// Chooses the common labels for a family's lines. Cost: nothing without common labels,
    /// else one pass over the family's label names.
    private mutating func selectCommon(for info: MetricFamilyInfo) {
        guard commonLabels.count > 0 else { return }
        let own = info.labelNames
        let clash = own.contains { commonLabels[$0] != nil }
        if !clash {
            common = allCommon
            return
        }
        let kept = commonLabels.pairs.filter { !own.contains($0.name) }
        common = LabelSet(names: kept.map(\.name), values: kept.map(\.value)).prometheusText
    }

    // MARK: Families

    /// Writes `# HELP` and `# TYPE`; returns the sample name (with `_total` for counters) and the
    /// family name (without it in OpenMetrics).
    private mutating func header(_ info: MetricFamilyInfo, into out: inout [UInt8]) -> (sample: [UInt8], family: [UInt8]) {
        let name = Array(info.name.utf8)
        var familyName = name
        if openMetrics && info.type == .counter && info.name.hasSuffix("_total") { familyName.removeLast(6) }
        selectCommon(for: info)
        out.append(contentsOf: Self.hashHelp)
        out.append(contentsOf: familyName)
        out.append(32)
        PrometheusTextEncoder.appendEscapedHelp(info.help, to: &out, openMetrics: openMetrics)
        out.append(10)
        out.append(contentsOf: Self.hashType)
        out.append(contentsOf: familyName)
        switch info.type {
        case .counter: out.append(contentsOf: Self.counterWord)
        case .gauge: out.append(contentsOf: Self.gaugeWord)
        case .histogram: out.append(contentsOf: Self.histogramWord)
        }
        let sample = openMetrics && info.type == .counter ? familyName + Self.totalSuffix : name
        return (sample, familyName)
    }

    mutating func counters(_ f: CounterFamily, into out: inout [UInt8]) {
        let list = f.allSeries
        guard !list.isEmpty else { return }
        let (sample, family) = header(f.info, into: &out)
        let created = family + Self.createdSuffix
        for s in list {
            let labels = s.renderedLabels
            line(sample, labels, s.value, &out)
            if openMetrics { line(created, labels, Double(s.createdNanoseconds) / 1e9, &out) }
        }
    }

    mutating func gauges(_ f: GaugeFamily, into out: inout [UInt8]) {
        let list = f.allSeries
        guard !list.isEmpty else { return }
        let (sample, _) = header(f.info, into: &out)
        for s in list { line(sample, s.renderedLabels, s.value, &out) }
    }

    mutating func histograms(_ f: HistogramFamily, into out: inout [UInt8]) {
        let list = f.allSeries
        guard !list.isEmpty else { return }
        let (sample, _) = header(f.info, into: &out)
        let names = HistogramNames(sample)
        let les = leFragments(f.info.buckets)
        for s in list {
            let (sum, count) = s.read(into: &counts)
            histogramLines(names, les, s.renderedLabels, counts, f.info.buckets, sum, count,
                           s.createdNanoseconds, &out)
        }
    }

    /// A family from a snapshot (any kind).
    mutating func family(_ family: FamilySnapshot, into out: inout [UInt8]) {
        guard !family.series.isEmpty else { return }
        let (sample, familyName) = header(family.info, into: &out)
        switch family.info.type {
        case .counter:
            let created = familyName + Self.createdSuffix
            for s in family.series {
                guard case .counter(let v) = s.value else { continue }
                line(sample, s.labels.prometheusText, v, &out)
                if openMetrics { line(created, s.labels.prometheusText, Double(s.startNanoseconds) / 1e9, &out) }
            }
        case .gauge:
            for s in family.series {
                guard case .gauge(let v) = s.value else { continue }
                line(sample, s.labels.prometheusText, v, &out)
            }
        case .histogram:
            let names = HistogramNames(sample)
            var les = leFragments(family.info.buckets)
            var lesBounds = family.info.buckets
            for s in family.series {
                guard case .histogram(let h) = s.value else { continue }
                if h.bounds != lesBounds {
                    les = leFragments(h.bounds)
                    lesBounds = h.bounds
                }
                histogramLines(names, les, s.labels.prometheusText, h.bucketCounts, h.bounds, h.sum, h.count, s.startNanoseconds, &out)
            }
        }
    }

    // MARK: Lines

    struct HistogramNames {
        let bucket, sum, count, created: [UInt8]
        init(_ name: [UInt8]) {
            bucket = name + Writer.bucketSuffix
            sum = name + Writer.sumSuffix
            count = name + Writer.countSuffix
            created = name + Writer.createdSuffix
        }
    }

    /// `le="…"` label fragments for each bound plus `+Inf`, rendered once per family.
    func leFragments(_ bounds: [Double]) -> [[UInt8]] {
        var list: [[UInt8]] = []
        list.reserveCapacity(bounds.count + 1)
        for b in bounds {
            var frag = Self.leOpen
            NumberFormatting.appendDouble(b, to: &frag, openMetricsStyle: openMetrics)
            frag.append(34)
            list.append(frag)
        }
        list.append(Self.leInf)
        return list
    }

    /// Scratch for the `name_bucket{labels,` prefix of one series, reused across series.
    private var bucketPrefix: [UInt8] = []

    private mutating func histogramLines(_ names: HistogramNames, _ les: [[UInt8]], _ labels: [UInt8], _ bucketCounts: [UInt64],
                                         _ bounds: [Double], _ sum: Double, _ count: UInt64, _ created: UInt64, _ out: inout [UInt8]) {
        // The part before `le=` is the same on every bucket line of the series: build it once.
        bucketPrefix.removeAll(keepingCapacity: true)
        bucketPrefix.append(contentsOf: names.bucket)
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
        les.withUnsafeBufferPointer { fragments in
            bucketCounts.withUnsafeBufferPointer { counts in
                for i in 0..<min(counts.count, fragments.count) {
                    cumulative &+= counts[i]
                    out.append(contentsOf: bucketPrefix)
                    out.append(contentsOf: fragments[i])
                    out.append(125)  // }
                    out.append(32)
                    NumberFormatting.appendUInt(cumulative, to: &out)
                    out.append(10)
                }
            }
        }
        // OpenMetrics: a histogram with negative bucket thresholds must not expose _sum.
        if !(openMetrics && (bounds.first ?? 0) < 0) { line(names.sum, labels, sum, &out) }
        out.append(contentsOf: names.count)
        appendLabels(labels, &out)
        out.append(32)
        NumberFormatting.appendUInt(count, to: &out)
        out.append(10)
        if openMetrics { line(names.created, labels, Double(created) / 1e9, &out) }
    }

    @inline(__always)
    private func appendLabels(_ labels: [UInt8], _ out: inout [UInt8]) {
        if common.isEmpty {
            if labels.isEmpty { return }
            out.append(123)
            out.append(contentsOf: labels)
            out.append(125)
            return
        }
        out.append(123)
        if !labels.isEmpty {
            out.append(contentsOf: labels)
            out.append(44)
        }
        out.append(contentsOf: common)
        out.append(125)
    }

    @inline(__always)
    private func line(_ name: [UInt8], _ labels: [UInt8], _ value: Double, _ out: inout [UInt8]) {
        out.append(contentsOf: name)
        appendLabels(labels, &out)
        out.append(32)
        NumberFormatting.appendDouble(value, to: &out)
        out.append(10)
    }

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
