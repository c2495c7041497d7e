import AgentTelemetry

/// Renders a `MetricsSnapshot` as Prometheus text 0.0.4 or OpenMetrics 1.0.
///
/// Rendering appends into a caller-owned `[UInt8]` (reuse it across scrapes to avoid
/// reallocation). Label sets come pre-escaped from the registry, so a series costs a few
/// `append(contentsOf:)` calls and one number formatting; no strings are built per series
/// except for non-integral sample values.
public struct PrometheusTextEncoder: Sendable {
    /// The format produced.
    public let format: ExpositionFormat

    /// Creates an encoder for `format`.
    public init(format: ExpositionFormat = .prometheusText) {
        self.format = format
    }

    /// Renders `snapshot`, appending to `out`. Families without series are left out.
    public func encode(_ snapshot: MetricsSnapshot, into out: inout [UInt8]) {
        let om = format == .openMetrics
        for family in snapshot.families where !family.series.isEmpty {
            let info = family.info
            let name = Array(info.name.utf8)
            // In OpenMetrics a counter family is named without `_total` and its sample carries it.
            var familyName = name
            if om && info.type == .counter && info.name.hasSuffix("_total") { familyName.removeLast(6) }
            out.append(contentsOf: Self.hashHelp)
            out.append(contentsOf: familyName)
            out.append(32)
            Self.appendEscapedHelp(info.help, to: &out, openMetrics: om)
            out.append(10)
            out.append(contentsOf: Self.hashType)
            out.append(contentsOf: familyName)
            switch info.type {
            case .counter: out.append(contentsOf: Self.counterWord)
            case .gauge: out.append(contentsOf: Self.gaugeWord)
            case .histogram: out.append(contentsOf: Self.histogramWord)
            }
            switch info.type {
            case .counter:
                var sampleName = om ? familyName + Self.totalSuffix : name
                let created = familyName + Self.createdSuffix
                for s in family.series {
                    guard case .counter(let v) = s.value else { continue }
                    appendSample(&sampleName, s.labels.prometheusText, v, &out)
                    if om {
                        var createdName = created
                        appendSample(&createdName, s.labels.prometheusText, Double(s.startNanoseconds) / 1e9, &out)
                    }
                }
            case .gauge:
                var sampleName = name
                for s in family.series {
                    guard case .gauge(let v) = s.value else { continue }
                    appendSample(&sampleName, s.labels.prometheusText, v, &out)
                }
            case .histogram:
                encodeHistogram(name: name, info: info, series: family.series, into: &out)
            }
        }
        if om { out.append(contentsOf: Self.eof) }
    }

    /// Renders `snapshot` into a new buffer.
    public func encode(_ snapshot: MetricsSnapshot) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(snapshot.seriesCount * 64 + 1024)
        encode(snapshot, into: &out)
        return out
    }

    private func encodeHistogram(name: [UInt8], info: MetricFamilyInfo, series: [SeriesSnapshot], into out: inout [UInt8]) {
        let om = format == .openMetrics
        let bucketName = name + Self.bucketSuffix
        let sumName = name + Self.sumSuffix
        let countName = name + Self.countSuffix
        let createdName = name + Self.createdSuffix
        var leCache: [[Double]: [[UInt8]]] = [:]
        for s in series {
            guard case .histogram(let h) = s.value else { continue }
            // `le="…"` label fragments, rendered once per distinct bounds.
            let les: [[UInt8]]
            if let cached = leCache[h.bounds] {
                les = cached
            } else {
                var list: [[UInt8]] = []
                for b in h.bounds {
                    var frag = Self.leOpen
                    NumberFormatting.appendDouble(b, to: &frag, openMetricsStyle: om)
                    frag.append(34)
                    list.append(frag)
                }
                list.append(Self.leInf)
                leCache[h.bounds] = list
                les = list
            }
            let labels = s.labels.prometheusText
            var cumulative: UInt64 = 0
            for (i, c) in h.bucketCounts.enumerated() where i < les.count {
                cumulative &+= c
                out.append(contentsOf: bucketName)
                out.append(123)  // {
                if !labels.isEmpty {
                    out.append(contentsOf: labels)
                    out.append(44)  // ,
                }
                out.append(contentsOf: les[i])
                out.append(125)  // }
                out.append(32)
                NumberFormatting.appendUInt(cumulative, to: &out)
                out.append(10)
            }
            var n = sumName
            // OpenMetrics: a histogram with negative bucket thresholds must not expose _sum.
            if !(om && (h.bounds.first ?? 0) < 0) { appendSample(&n, labels, h.sum, &out) }
            out.append(contentsOf: countName)
            appendLabels(labels, &out)
            out.append(32)
            NumberFormatting.appendUInt(h.count, to: &out)
            out.append(10)
            if om {
                n = createdName
                appendSample(&n, labels, Double(s.startNanoseconds) / 1e9, &out)
            }
        }
    }

    @inline(__always)
    private func appendLabels(_ labels: [UInt8], _ out: inout [UInt8]) {
        if labels.isEmpty { return }
        out.append(123)
        out.append(contentsOf: labels)
        out.append(125)
    }

    @inline(__always)
    private func appendSample(_ name: inout [UInt8], _ labels: [UInt8], _ value: Double, _ out: inout [UInt8]) {
        out.append(contentsOf: name)
        appendLabels(labels, &out)
        out.append(32)
        NumberFormatting.appendDouble(value, to: &out)
        out.append(10)
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
