/// The checks that span the lines of one family: series, their grouping and timestamps, and the
/// histogram rules that need all of a point's buckets.
struct FamilyCheck {
    struct SeriesKey: Hashable {
        var name: String
        var labels: [String: String]
        var time: Double?
    }

    struct PointKey: Hashable {
        var group: [String: String]
        var time: Double?
    }

    /// One histogram point (a label set at one time): its buckets, count and sum, with their lines.
    struct HistogramPoint {
        var buckets: [(le: Double, value: Double, line: Int)] = []
        var count: (value: Double, line: Int)?
        var sum: (value: Double, line: Int)?
        var lastLine = 0
    }

    var series: Set<SeriesKey> = []
    var groups: Set<[String: String]> = []
    var group: [String: String]?
    var groupTimed = false
    var groupTime: Double?
    var points: [PointKey] = []
    var histogram: [PointKey: HistogramPoint] = [:]
    var unitLine: Int?

    mutating func sample(_ s: ExpositionSample, time: Double?, line: Int, family: ExpositionFamily,
                         dialect: ExpositionDialect) throws(ExpositionParseError) {
        func fail(_ rule: ExpositionRule, _ reason: String) -> ExpositionParseError {
            ExpositionParseError(line: line, rule: rule, reason: reason, dialect: dialect)
        }
        let om = dialect == .openMetrics
        let suffix = String(s.name.dropFirst(family.name.count))
        let type = family.type
        let histogramLike = type == .histogram || type == .gaugehistogram
        var groupLabels = s.labels

        if let exemplar = s.exemplar {
            guard (type == .counter && suffix == "_total") || (histogramLike && suffix == "_bucket") else {
                throw fail(.exemplar, "an exemplar on \(s.name), a sample of the \(type) \(family.name)")
            }
            let length = exemplar.labels.reduce(0) { $0 + $1.key.unicodeScalars.count + $1.value.unicodeScalars.count }
            if length > 128 { throw fail(.exemplar, "the exemplar's labels have \(length) characters") }
        }

        let counterLike = (type == .counter && (suffix == "_total" || (!om && suffix == "")))
            || (suffix == "_count" || suffix == "_bucket" || suffix == "_gcount")
        if counterLike && (s.value.isNaN || s.value < 0) {
            throw fail(.counterValue, "\(s.name) is \(s.value.isNaN ? "NaN" : "negative")")
        }
        // OpenMetrics: a sum is a counter too (a _gsum may be negative, with negative buckets).
        if om && (suffix == "_sum" || suffix == "_gsum") && (s.value.isNaN || (suffix == "_sum" && s.value < 0)) {
            throw fail(.counterValue, "\(s.name) is \(s.value.isNaN ? "NaN" : "negative")")
        }
        if om && (suffix == "_bucket" || suffix == "_count" || suffix == "_gcount") && s.value.rounded() != s.value {
            throw fail(.integerCount, "\(s.name) is \(s.value), not an integer")
        }

        if histogramLike && suffix == "_bucket" {
            guard let text = s.labels["le"], let le = ExpositionNumber.value(Substring(text)), !le.isNaN else {
                throw fail(.leLabel, "\(s.name) has \(s.labels["le"].map { "le=\"\($0)\"" } ?? "no le label")")
            }
            if om && le == .infinity && text != "+Inf" { throw fail(.leLabel, "le=\"\(text)\" is written \"+Inf\"") }
            groupLabels["le"] = nil
        }
        if type == .summary && suffix == "" {
            guard let text = s.labels["quantile"], let q = ExpositionNumber.value(Substring(text)), !q.isNaN else {
                throw fail(.quantileLabel, "\(s.name) has \(s.labels["quantile"].map { "quantile=\"\($0)\"" } ?? "no quantile label")")
            }
            if om && !(0...1).contains(q) { throw fail(.quantileLabel, "quantile=\"\(text)\" is outside 0…1") }
            if om && s.value < 0 { throw fail(.quantileLabel, "the quantile \(text) of \(s.name) is negative") }
            groupLabels["quantile"] = nil
        }
        if type == .stateset {
            guard s.labels[family.name] != nil else { throw fail(.statesetValue, "\(s.name) has no label \(family.name)") }
            guard s.value == 0 || s.value == 1 else { throw fail(.statesetValue, "\(s.name) is \(s.value)") }
            groupLabels[family.name] = nil
        }
        if type == .info && s.value != 1 { throw fail(.infoValue, "\(s.name) is \(s.value)") }

        if om {
            if groupLabels != group {
                if groups.contains(groupLabels) {
                    throw fail(.seriesContiguous, "\(family.name) \(Self.text(groupLabels)) resumes after another series began")
                }
                group = groupLabels
                groups.insert(groupLabels)
                groupTimed = time != nil
            } else if (time != nil) != groupTimed {
                throw fail(.seriesContiguous, "\(s.name) \(Self.text(s.labels)) mixes samples with and without timestamps")
            } else if let before = groupTime, let now = time, now < before {
                throw fail(.seriesContiguous, "the timestamp of \(s.name) \(Self.text(s.labels)) goes back")
            }
            groupTime = time
        }
        guard series.insert(SeriesKey(name: s.name, labels: s.labels, time: time)).inserted else {
            throw fail(.duplicateSeries, "\(s.name) \(Self.text(s.labels)) appears twice")
        }

        if histogramLike && suffix != "_created" {
            // OpenMetrics: a point per time of a series; 0.0.4 timestamps belong to single samples.
            let key = PointKey(group: groupLabels, time: om ? time : nil)
            if histogram[key] == nil { points.append(key) }
            var point = histogram[key] ?? HistogramPoint()
            point.lastLine = line
            switch suffix {
            case "_bucket": point.buckets.append((ExpositionNumber.value(Substring(s.labels["le"] ?? "")) ?? .nan, s.value, line))
            case "_count", "_gcount": point.count = (s.value, line)
            default: point.sum = (s.value, line)
            }
            histogram[key] = point
        }
    }

    func close(_ family: ExpositionFamily, dialect: ExpositionDialect) throws(ExpositionParseError) {
        let om = dialect == .openMetrics
        func fail(_ line: Int, _ rule: ExpositionRule, _ reason: String) -> ExpositionParseError {
            ExpositionParseError(line: line, rule: rule, reason: reason, dialect: dialect)
        }
        if let unit = family.unit, let line = unitLine, !unit.isEmpty {
            if !family.name.hasSuffix("_" + unit) {
                throw fail(line, .unit, "\(family.name) does not end with _\(unit)")
            }
            if family.type == .info || family.type == .stateset {
                throw fail(line, .unit, "the \(family.type) \(family.name) has a unit")
            }
        }
        for key in points {
            guard let point = histogram[key] else { continue }
            let name = family.name + (key.group.isEmpty ? "" : Self.text(key.group))
            for (previous, bucket) in zip(point.buckets, point.buckets.dropFirst()) {
                if bucket.le <= previous.le {
                    throw fail(bucket.line, .bucketOrder, "\(name): le \(bucket.le) follows le \(previous.le)")
                }
                if bucket.value < previous.value {
                    throw fail(bucket.line, .cumulativeBuckets, "\(name): bucket le \(bucket.le) holds \(bucket.value), less than the \(previous.value) below it")
                }
            }
            guard let last = point.buckets.last, last.le == .infinity else {
                throw fail(point.buckets.last?.line ?? point.lastLine, .infBucket, "\(name) has no +Inf bucket")
            }
            if let count = point.count, count.value != last.value {
                throw fail(count.line, .countMatchesInf, "\(name): count \(count.value) but the +Inf bucket holds \(last.value)")
            }
            if om, (point.count == nil) != (point.sum == nil) {
                let line = point.count?.line ?? point.sum?.line ?? point.lastLine
                throw fail(line, .countAndSum, "\(name) has \(point.count == nil ? "a sum but no count" : "a count but no sum")")
            }
            if om, family.type == .histogram, let sum = point.sum, point.buckets.contains(where: { $0.le < 0 }) {
                throw fail(sum.line, .sumWithNegativeBuckets, "\(name) has negative buckets and a _sum")
            }
        }
    }

    /// `{a="1",b="2"}`, sorted, for a message.
    static func text(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
