import AgentTelemetry

/// The bytes of one family that stay the same from scrape to scrape, rendered once (on the
/// family's first scrape) for both formats and kept in the family's `renderingCache`: the
/// `# HELP`/`# TYPE` header with its escaped help text, the sample names and, for histograms, the
/// `le="…"` fragments. A scrape then writes them without building or escaping anything.
final class FamilyRendering: Sendable {
    /// One format's bytes.
    struct Format: Sendable {
        /// `# HELP name help\n# TYPE name type\n`.
        let header: [UInt8]
        /// The sample name (`name`, or the name with `_total` for OpenMetrics counters).
        let sample: [UInt8]
        /// `family_created` (OpenMetrics counters and histograms).
        let created: [UInt8]
        /// `name_bucket`, `name_sum`, `name_count` (histograms; empty otherwise).
        let bucket, sum, count: [UInt8]
        /// `le="bound"` for each bucket bound, then `le="+Inf"` (histograms; empty otherwise).
        let les: LeFragments

        init(_ info: MetricFamilyInfo, openMetrics: Bool) {
            let name = Array(info.name.utf8)
            var familyName = name
            if openMetrics && info.type == .counter && info.name.hasSuffix("_total") { familyName.removeLast(6) }
            var h: [UInt8] = []
            h.append(contentsOf: Writer.hashHelp)
            h.append(contentsOf: familyName)
            h.append(32)
            PrometheusTextEncoder.appendEscapedHelp(info.help, to: &h, openMetrics: openMetrics)
            h.append(10)
            h.append(contentsOf: Writer.hashType)
            h.append(contentsOf: familyName)
            switch info.type {
            case .counter: h.append(contentsOf: Writer.counterWord)
            case .gauge: h.append(contentsOf: Writer.gaugeWord)
            case .histogram: h.append(contentsOf: Writer.histogramWord)
            }
            header = h
            sample = openMetrics && info.type == .counter ? familyName + Writer.totalSuffix : name
            if info.type == .histogram {
                created = sample + Writer.createdSuffix
                bucket = sample + Writer.bucketSuffix
                sum = sample + Writer.sumSuffix
                count = sample + Writer.countSuffix
                les = LeFragments(info.buckets, openMetrics: openMetrics)
            } else {
                created = familyName + Writer.createdSuffix
                bucket = []
                sum = []
                count = []
                les = LeFragments([], openMetrics: openMetrics)
            }
        }
    }

    let prometheus: Format
    let openMetrics: Format

    private init(_ info: MetricFamilyInfo) {
        prometheus = Format(info, openMetrics: false)
        openMetrics = Format(info, openMetrics: true)
    }

    /// The rendering of `info`'s family: from its cache, or rendered now and cached.
    static func of(_ info: MetricFamilyInfo) -> FamilyRendering {
        if let cached = info.renderingCache.load()?.value as? FamilyRendering { return cached }
        let made = FamilyRendering(info)
        // Another scrape may have stored one first; either holds the same bytes.
        return info.renderingCache.storeIfNil(CachedRendering(made)).value as? FamilyRendering ?? made
    }
}

/// The `le="…"` label fragments of a histogram's bounds plus `+Inf`, in one contiguous array
/// (one array per fragment cost a retain and a release per bucket line).
struct LeFragments: Sendable {
    /// The fragments, back to back.
    let bytes: [UInt8]
    /// Where each fragment ends in `bytes` (the first starts at 0).
    let ends: [Int]

    init(_ bounds: [Double], openMetrics: Bool) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(bounds.count + 1)
        for b in bounds {
            bytes.append(contentsOf: Writer.leOpen)
            NumberFormatting.appendDouble(b, to: &bytes, openMetricsStyle: openMetrics)
            bytes.append(34)
            ends.append(bytes.count)
        }
        bytes.append(contentsOf: Writer.leInf)
        ends.append(bytes.count)
        self.bytes = bytes
        self.ends = ends
    }
}
