import AgentTelemetry

/// Encodes data points as an OTLP `ExportMetricsServiceRequest` (opentelemetry-proto
/// `collector/metrics/v1`) in protobuf wire format.
///
/// The Resource and InstrumentationScope are encoded once at creation; each request then costs
/// one pass over its points, appending into a single buffer (roughly 60–120 bytes per number
/// point with two labels).
struct OTLPMetricsEncoder: Sendable {
    /// Field numbers from opentelemetry-proto (see the project's FACTS.md).
    private enum Field {
        static let requestResourceMetrics = 1
        static let resourceMetricsResource = 1, resourceMetricsScopeMetrics = 2, resourceMetricsSchemaURL = 3
        static let scopeMetricsScope = 1, scopeMetricsMetrics = 2, scopeMetricsSchemaURL = 3
        static let metricName = 1, metricDescription = 2, metricUnit = 3
        static let metricGauge = 5, metricSum = 7, metricHistogram = 9, metricExponentialHistogram = 10
        static let dataPoints = 1, aggregationTemporality = 2, isMonotonic = 3
        static let numberStart = 2, numberTime = 3, numberAsDouble = 4, numberAttributes = 7
        static let histStart = 2, histTime = 3, histCount = 4, histSum = 5, histBucketCounts = 6
        static let histExplicitBounds = 7, histAttributes = 9, histMin = 11, histMax = 12
        static let resourceAttributes = 1
        static let scopeName = 1, scopeVersion = 2
        static let keyValueKey = 1, keyValueValue = 2
        static let anyValueString = 1
        static let numberExemplars = 5, histExemplars = 8
        static let expAttributes = 1, expStart = 2, expTime = 3, expCount = 4, expSum = 5, expScale = 6
        static let expZeroCount = 7, expPositive = 8, expNegative = 9, expExemplars = 11, expMin = 12, expMax = 13
        static let expZeroThreshold = 14, bucketsOffset = 1, bucketsCounts = 2
        static let exemplarTime = 2, exemplarAsDouble = 3, exemplarSpanID = 4, exemplarTraceID = 5
    }

    /// The encoded `Resource` message body.
    let resourceBody: [UInt8]
    /// The encoded `InstrumentationScope` message body.
    let scopeBody: [UInt8]
    /// Temporality written on sums and histograms.
    let temporality: OTLPTemporality

    /// Prepares the resource and scope from `configuration`; the registry's common labels
    /// become resource attributes.
    init(configuration c: OTLPExporterConfiguration, commonLabels: LabelSet = .empty) {
        temporality = c.temporality
        var r = ProtobufWriter(capacity: 256)
        for (key, value) in Self.resourceAttributes(c, commonLabels: commonLabels) {
            Self.writeAttribute(Field.resourceAttributes, key, value, into: &r)
        }
        resourceBody = r.bytes
        var s = ProtobufWriter(capacity: 64)
        s.writeStringField(Field.scopeName, c.scopeName)
        if let v = c.scopeVersion { s.writeStringField(Field.scopeVersion, v) }
        scopeBody = s.bytes
    }

    /// Resource attributes in the order they are sent: `service.*`, user attributes and the
    /// registry's common labels (sorted; a configured attribute wins over a common label of the
    /// same key, and both replace `service.*` entries with the same key), then `telemetry.sdk.*`,
    /// which cannot be overridden.
    static func resourceAttributes(_ c: OTLPExporterConfiguration, commonLabels: LabelSet = .empty) -> [(String, String)] {
        var service: [(String, String)] = [("service.name", c.serviceName)]
        if let v = c.serviceVersion { service.append(("service.version", v)) }
        service.append(("service.instance.id", c.serviceInstanceID))
        let sdk = [("telemetry.sdk.name", "agent-telemetry"), ("telemetry.sdk.language", "swift"),
                   ("telemetry.sdk.version", OTLPExporterConfiguration.sdkVersion)]
        var attributes = c.resourceAttributes
        for (name, value) in commonLabels.pairs where attributes[name] == nil { attributes[name] = value }
        let user = attributes
            .filter { !$0.key.hasPrefix("telemetry.sdk.") }
            .sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
        let userKeys = Set(user.map(\.0))
        return service.filter { !userKeys.contains($0.0) } + user + sdk
    }

    /// The request holding `metrics`.
    func encode(_ metrics: [OTLPMetricData]) -> [UInt8] {
        let points = metrics.reduce(0) { $0 + $1.points.count }
        var w = ProtobufWriter(capacity: 256 + points * 96)
        w.writeMessage(Field.requestResourceMetrics) { w in
            w.writeBytesField(Field.resourceMetricsResource, resourceBody)
            w.writeMessage(Field.resourceMetricsScopeMetrics) { w in
                w.writeBytesField(Field.scopeMetricsScope, scopeBody)
                for m in metrics where !m.points.isEmpty {
                    w.writeMessage(Field.scopeMetricsMetrics) { w in writeMetric(m, into: &w) }
                }
                w.writeStringField(Field.scopeMetricsSchemaURL, SemanticConventions.schemaURL)
            }
            w.writeStringField(Field.resourceMetricsSchemaURL, SemanticConventions.schemaURL)
        }
        return w.bytes
    }

    private func writeMetric(_ m: OTLPMetricData, into w: inout ProtobufWriter) {
        w.writeStringField(Field.metricName, m.info.otlpName)
        if !m.info.help.isEmpty { w.writeStringField(Field.metricDescription, m.info.help) }
        if let unit = m.info.unit, !unit.ucum.isEmpty { w.writeStringField(Field.metricUnit, unit.ucum) }
        switch m.info.type {
        case .gauge:
            w.writeMessage(Field.metricGauge) { w in
                for p in m.points { Self.writeNumberPoint(p, m.info, into: &w) }
            }
        case .counter:
            w.writeMessage(Field.metricSum) { w in
                for p in m.points { Self.writeNumberPoint(p, m.info, into: &w) }
                w.writeVarintField(Field.aggregationTemporality, temporality.protoValue)
                w.writeBoolField(Field.isMonotonic, true)
            }
        case .histogram where m.info.nativeHistogram != nil:
            // OTLP gives a metric one data type: a natively aggregated histogram (also one kept
            // classic beside it for Prometheus text scrapers) goes as an ExponentialHistogram.
            w.writeMessage(Field.metricExponentialHistogram) { w in
                for p in m.points { Self.writeExponentialPoint(p, m.info, into: &w) }
                w.writeVarintField(Field.aggregationTemporality, temporality.protoValue)
            }
        case .histogram:
            w.writeMessage(Field.metricHistogram) { w in
                for p in m.points { Self.writeHistogramPoint(p, m.info, into: &w) }
                w.writeVarintField(Field.aggregationTemporality, temporality.protoValue)
            }
        }
    }

    private static func writeNumberPoint(_ p: OTLPDataPoint, _ info: MetricFamilyInfo, into w: inout ProtobufWriter) {
        let number: Double
        switch p.value {
        case let .number(v): number = v
        case let .histogram(h, _): number = h.sum  // never produced for sums and gauges
        }
        w.writeMessage(Field.dataPoints) { w in
            w.writeFixed64Field(Field.numberStart, p.startNanoseconds)
            w.writeFixed64Field(Field.numberTime, p.timeNanoseconds)
            w.writeDoubleField(Field.numberAsDouble, number)
            writeExemplars(Field.numberExemplars, p.exemplars, into: &w)
            writeAttributes(Field.numberAttributes, p.labels, info, into: &w)
        }
    }

    private static func writeHistogramPoint(_ p: OTLPDataPoint, _ info: MetricFamilyInfo, into w: inout ProtobufWriter) {
        guard case let .histogram(h, hasMinMax) = p.value else { return }
        w.writeMessage(Field.dataPoints) { w in
            w.writeFixed64Field(Field.histStart, p.startNanoseconds)
            w.writeFixed64Field(Field.histTime, p.timeNanoseconds)
            w.writeFixed64Field(Field.histCount, h.count)
            w.writeDoubleField(Field.histSum, h.sum)
            w.writePackedFixed64Field(Field.histBucketCounts, h.bucketCounts)
            w.writePackedDoubleField(Field.histExplicitBounds, h.bounds)
            writeExemplars(Field.histExemplars, p.exemplars, into: &w)
            writeAttributes(Field.histAttributes, p.labels, info, into: &w)
            if hasMinMax, h.count > 0 {
                w.writeDoubleField(Field.histMin, h.min)
                w.writeDoubleField(Field.histMax, h.max)
            }
        }
    }

    /// An `ExponentialHistogramDataPoint`: scale and buckets as the series holds them (the
    /// OpenTelemetry scale is the Prometheus schema, bucket indices are OpenTelemetry's).
    private static func writeExponentialPoint(_ p: OTLPDataPoint, _ info: MetricFamilyInfo, into w: inout ProtobufWriter) {
        guard case let .histogram(h, hasMinMax) = p.value, let n = h.native else { return }
        w.writeMessage(Field.dataPoints) { w in
            writeAttributes(Field.expAttributes, p.labels, info, into: &w)
            w.writeFixed64Field(Field.expStart, p.startNanoseconds)
            w.writeFixed64Field(Field.expTime, p.timeNanoseconds)
            w.writeFixed64Field(Field.expCount, h.count)
            w.writeDoubleField(Field.expSum, h.sum)
            w.writeSignedVarintField(Field.expScale, Int64(n.schema))
            w.writeFixed64Field(Field.expZeroCount, n.zeroCount)
            for (field, run) in [(Field.expPositive, n.positive), (Field.expNegative, n.negative)] where !run.counts.isEmpty {
                w.writeMessage(field) { w in
                    w.writeSignedVarintField(Field.bucketsOffset, Int64(run.offset))
                    w.writePackedVarintField(Field.bucketsCounts, run.counts)
                }
            }
            writeExemplars(Field.expExemplars, p.exemplars, into: &w)
            if hasMinMax, h.count > 0 {
                w.writeDoubleField(Field.expMin, h.min)
                w.writeDoubleField(Field.expMax, h.max)
            }
            w.writeDoubleField(Field.expZeroThreshold, n.zeroThreshold)
        }
    }

    /// `Exemplar` messages: time, value, span and trace id (8 and 16 bytes, big-endian as the W3C
    /// hex form reads). No `filtered_attributes`: every attribute of the measurement is on the point.
    private static func writeExemplars(_ field: Int, _ exemplars: [Exemplar], into w: inout ProtobufWriter) {
        for e in exemplars {
            w.writeMessage(field) { w in
                w.writeFixed64Field(Field.exemplarTime, e.timestampNanoseconds)
                w.writeDoubleField(Field.exemplarAsDouble, e.value)
                w.writeBytesField(Field.exemplarSpanID, e.trace.spanIDBytes)
                w.writeBytesField(Field.exemplarTraceID, e.trace.traceIDBytes)
            }
        }
    }

    /// A point's labels under their attribute keys (`gen_ai.request.model`, not the Prometheus
    /// spelling); a label with an empty value is not an attribute, so `error.type` appears only
    /// on failures. The overflow series' label is sent as `otel.metric.overflow`.
    private static func writeAttributes(_ field: Int, _ labels: LabelSet, _ info: MetricFamilyInfo, into w: inout ProtobufWriter) {
        // A series of the family shares the family's name array (one identity comparison); only
        // the overflow series has other names.
        let keys = labels.names == info.labelNames ? info.attributeKeys : labels.names.map(Self.overflowKey)
        for i in labels.names.indices where !labels.values[i].isEmpty {
            writeAttribute(field, keys[i], labels.values[i], into: &w)
        }
    }

    private static func overflowKey(_ name: String) -> String {
        name == "otel_metric_overflow" ? AttributeKey.overflow : name
    }

    private static func writeAttribute(_ field: Int, _ key: String, _ value: String, into w: inout ProtobufWriter) {
        w.writeMessage(field) { w in
            w.writeStringField(Field.keyValueKey, key)
            w.writeMessage(Field.keyValueValue) { w in w.writeStringField(Field.anyValueString, value) }
        }
    }

    /// Splits `metrics` into groups of at most `limit` data points, keeping order; a metric with
    /// more points than fit is continued in the next group.
    static func split(_ metrics: [OTLPMetricData], limit: Int) -> [[OTLPMetricData]] {
        let limit = max(1, limit)
        var groups: [[OTLPMetricData]] = []
        var current: [OTLPMetricData] = []
        var room = limit
        for m in metrics where !m.points.isEmpty {
            var rest = m.points[...]
            while !rest.isEmpty {
                let take = min(room, rest.count)
                current.append(OTLPMetricData(info: m.info, points: Array(rest.prefix(take))))
                rest = rest.dropFirst(take)
                room -= take
                if room == 0 {
                    groups.append(current)
                    current = []
                    room = limit
                }
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}
