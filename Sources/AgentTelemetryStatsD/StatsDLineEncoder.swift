import AgentTelemetry

/// Encodes metric updates as StatsD lines in one flavour, appending into a caller-owned buffer.
///
/// Naming: the metric's Prometheus name (e.g. `agent_tool_calls_total`) after ``prefix``. A
/// histogram whose unit is seconds is a duration: it is sent as a `|ms` timer in milliseconds and
/// its name loses the `_seconds` suffix (`agent_tool_execution_duration_seconds` →
/// `agent_tool_execution_duration`), since the values are no longer seconds. Other histograms are
/// `|h` in DogStatsD and `|ms` in etsy (which has no histogram type) and Telegraf (whose statsd
/// input treats `ms` and `h` alike), unscaled.
///
/// Labels: etsy appends each label value as a name segment (`prefix.name.value1.value2`, dots in
/// values replaced, an empty value sent as `_` to keep positions); DogStatsD sends
/// `|#key:value,...`; Telegraf sends `name,key=value,...`. In the tagged flavours constant tags
/// come first, sorted by key, then series labels in declaration order; a series label replaces a
/// constant tag of the same key, and labels with empty values are left out (Prometheus treats an
/// empty label as absent). Every name, key and value is sanitised by ``StatsDSanitizer``.
///
/// Gauges: a negative value would read as a relative change, so it is sent as a reset to zero
/// followed by the value (`name:0|g\nname:-5|g`); positive values never get a `+`.
public struct StatsDLineEncoder: Sendable {
    /// The dialect written.
    public let flavour: StatsDFlavour
    /// Prepended to every name.
    public let prefix: String
    /// Tags added to every line in the tagged flavours, sorted by key.
    public let constantTags: [(key: String, value: String)]

    /// Creates an encoder.
    public init(flavour: StatsDFlavour, prefix: String = "", constantTags: [String: String] = [:]) {
        self.flavour = flavour
        self.prefix = prefix
        self.constantTags = constantTags.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Creates an encoder for a configuration's flavour, prefix and constant tags; a registry's
    /// `commonLabels` are added as constant tags (a configured tag of the same key wins).
    public init(configuration: StatsDConfiguration, commonLabels: LabelSet = .empty) {
        var tags = configuration.constantTags
        for (name, value) in commonLabels.pairs where tags[name] == nil { tags[name] = value }
        self.init(flavour: configuration.flavour, prefix: configuration.prefix, constantTags: tags)
    }

    /// Renders the fixed parts of the lines of one series. Cost: a few allocations; do it once per series.
    public func render(info: MetricFamilyInfo, labels: LabelSet) -> StatsDSeriesRendering {
        let isDuration = info.type == .histogram && info.unit?.prometheusSuffix == "seconds"
        var name = info.name
        if isDuration, name.hasSuffix("_seconds"), name.utf8.count > 8 { name.removeLast(8) }
        let kind: StatsDSeriesRendering.Kind
        switch info.type {
        case .counter: kind = .counter
        case .gauge: kind = .gauge
        case .histogram:
            if isDuration {
                kind = .observation(type: Array("ms".utf8), scale: 1000)
            } else {
                kind = .observation(type: Array((flavour == .dogStatsD ? "h" : "ms").utf8), scale: 1)
            }
        }

        var head: [UInt8] = []
        head.reserveCapacity(prefix.utf8.count + name.utf8.count + labels.count * 24)
        StatsDSanitizer.append(prefix, to: &head)
        StatsDSanitizer.append(name, to: &head)
        var tail: [UInt8] = []
        switch flavour {
        case .etsy:
            for value in labels.values {
                head.append(UInt8(ascii: "."))
                if value.isEmpty {
                    head.append(StatsDSanitizer.replacement)
                } else {
                    StatsDSanitizer.append(value, replacingDots: true, to: &head)
                }
            }
        case .dogStatsD:
            var first = true
            for (key, value) in mergedTags(labels) {
                tail.append(first ? UInt8(ascii: "|") : UInt8(ascii: ","))
                if first { tail.append(UInt8(ascii: "#")) }
                first = false
                StatsDSanitizer.append(key, to: &tail)
                tail.append(UInt8(ascii: ":"))
                StatsDSanitizer.append(value, to: &tail)
            }
        case .telegraf:
            for (key, value) in mergedTags(labels) {
                head.append(UInt8(ascii: ","))
                StatsDSanitizer.append(key, to: &head)
                head.append(UInt8(ascii: "="))
                StatsDSanitizer.append(value, to: &head)
            }
        }
        return StatsDSeriesRendering(head: head, tail: tail, kind: kind)
    }

    /// Constant tags (sorted, minus keys the series has) then series labels; empty values left out.
    private func mergedTags(_ labels: LabelSet) -> [(String, String)] {
        var out: [(String, String)] = []
        out.reserveCapacity(constantTags.count + labels.count)
        for tag in constantTags where labels[tag.key] == nil && !tag.value.isEmpty {
            out.append((tag.key, tag.value))
        }
        for (name, value) in labels.pairs where !value.isEmpty {
            out.append((name, value))
        }
        return out
    }

    /// Appends the line for a counter increment: `head:amount|c[|@rate]tail`.
    /// Returns `false` (appending nothing) when `amount` is not finite.
    @discardableResult
    public func appendCounter(_ series: StatsDSeriesRendering, increment amount: Double, sampleRate: Double = 1, to out: inout [UInt8]) -> Bool {
        guard amount.isFinite else { return false }
        appendLine(series, value: amount, type: UInt8(ascii: "c"), nil, sampleRate: sampleRate, to: &out)
        return true
    }

    /// Appends the line(s) for a gauge: `head:value|gtail`, or for a negative value the reset
    /// `head:0|gtail` and the value on two lines separated by `\n`. Gauges are never sampled.
    /// Returns `false` (appending nothing) when `value` is not finite: StatsD cannot carry it.
    @discardableResult
    public func appendGauge(_ series: StatsDSeriesRendering, value: Double, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        if value < 0 {
            appendLine(series, value: 0, type: UInt8(ascii: "g"), nil, sampleRate: 1, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        appendLine(series, value: value, type: UInt8(ascii: "g"), nil, sampleRate: 1, to: &out)
        return true
    }

    /// Appends the line for a histogram observation: `head:value|ms` (durations in milliseconds)
    /// or `|h`/`|ms` as the flavour has it, with `|@rate` when sampled.
    /// Returns `false` (appending nothing) when the value is not finite.
    @discardableResult
    public func appendObservation(_ series: StatsDSeriesRendering, value: Double, sampleRate: Double = 1, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        switch series.kind {
        case .observation(let type, let scale):
            let scaled = scale == 1000 ? StatsDNumberFormat.milliseconds(fromSeconds: value) : value * scale
            guard let first = type.first else { return false }
            appendLine(series, value: scaled, type: first, type.count > 1 ? type[1] : nil, sampleRate: sampleRate, to: &out)
        case .counter:
            appendLine(series, value: value, type: UInt8(ascii: "c"), nil, sampleRate: sampleRate, to: &out)
        case .gauge:
            return appendGauge(series, value: value, to: &out)
        }
        return true
    }

    /// The lines for several observations of one series, each at most `maxLineBytes` long:
    /// in DogStatsD one multi-value line per `maxLineBytes` (`head:v1:v2:…|h|@rate|#tags`,
    /// protocol 1.1), in etsy and Telegraf, which have no multi-value form, one line per value.
    /// Values that are not finite are skipped. A value whose line alone would exceed the limit
    /// still gets a line of its own (the sender refuses and counts it).
    public func observationLines(_ series: StatsDSeriesRendering, values: [Double], sampleRate: Double = 1,
                                 maxLineBytes: Int) -> [[UInt8]] {
        guard flavour == .dogStatsD, case .observation(let type, let scale) = series.kind else {
            return values.compactMap { value in
                var line: [UInt8] = []
                return appendObservation(series, value: value, sampleRate: sampleRate, to: &line) ? line : nil
            }
        }
        var suffix: [UInt8] = [UInt8(ascii: "|")]
        suffix.append(contentsOf: type)
        if sampleRate < 1 {
            suffix.append(contentsOf: "|@".utf8)
            StatsDNumberFormat.append(sampleRate, to: &suffix)
        }
        suffix.append(contentsOf: series.tail)
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var number: [UInt8] = []
        number.reserveCapacity(32)
        for value in values where value.isFinite {
            number.removeAll(keepingCapacity: true)
            StatsDNumberFormat.append(scale == 1000 ? StatsDNumberFormat.milliseconds(fromSeconds: value) : value * scale, to: &number)
            if !line.isEmpty, line.count + 1 + number.count + suffix.count > maxLineBytes {
                line.append(contentsOf: suffix)
                lines.append(line)
                line = []
            }
            if line.isEmpty {
                line.reserveCapacity(min(maxLineBytes, series.head.count + 16 * values.count + suffix.count))
                line.append(contentsOf: series.head)
            }
            line.append(UInt8(ascii: ":"))
            line.append(contentsOf: number)
        }
        if !line.isEmpty {
            line.append(contentsOf: suffix)
            lines.append(line)
        }
        return lines
    }

    @inline(__always)
    private func appendLine(
        _ series: StatsDSeriesRendering, value: Double, type: UInt8, _ type2: UInt8?, sampleRate: Double, to out: inout [UInt8]
    ) {
        out.append(contentsOf: series.head)
        out.append(UInt8(ascii: ":"))
        StatsDNumberFormat.append(value, to: &out)
        out.append(UInt8(ascii: "|"))
        out.append(type)
        if let type2 { out.append(type2) }
        if sampleRate < 1 {
            out.append(UInt8(ascii: "|"))
            out.append(UInt8(ascii: "@"))
            StatsDNumberFormat.append(sampleRate, to: &out)
        }
        out.append(contentsOf: series.tail)
    }
}
