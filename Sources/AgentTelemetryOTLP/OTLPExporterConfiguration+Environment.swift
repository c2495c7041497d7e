extension OTLPExporterConfiguration {
    /// A copy with the standard OpenTelemetry environment variables applied on top.
    ///
    /// Read: `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`,
    /// `OTEL_EXPORTER_OTLP_HEADERS` and `…_METRICS_HEADERS` (`k=v,k2=v2`, values percent-decoded),
    /// `OTEL_EXPORTER_OTLP_TIMEOUT` and `…_METRICS_TIMEOUT` (milliseconds),
    /// `OTEL_EXPORTER_OTLP_COMPRESSION` and `…_METRICS_COMPRESSION` (`gzip`/`none`),
    /// `OTEL_METRIC_EXPORT_INTERVAL` (milliseconds), `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`
    /// (`cumulative`/`delta`), `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` (`k=v,…`).
    /// Metric-specific variables win over general ones. Unparseable values are ignored and
    /// listed in `ignored` so the caller can report them; nothing here throws.
    /// - Parameter environment: usually `ProcessInfo.processInfo.environment`.
    public func applyingEnvironment(_ environment: [String: String]) -> (configuration: Self, ignored: [String]) {
        var c = self
        var ignored: [String] = []
        func value(_ names: String...) -> (name: String, value: String)? {
            for n in names { if let v = environment[n]?.trimmingSpaces, !v.isEmpty { return (n, v) } }
            return nil
        }
        if let v = value("OTEL_EXPORTER_OTLP_ENDPOINT") { c.endpoint = v.value }
        if let v = value("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") { c.metricsEndpoint = v.value }
        for name in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"] {
            guard let v = value(name) else { continue }
            if let pairs = Self.keyValueList(v.value) { c.headers.merge(pairs) { $1 } } else { ignored.append(name) }
        }
        if let v = value("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT") {
            if let ms = Int64(v.value), ms > 0 { c.timeout = .milliseconds(ms) } else { ignored.append(v.name) }
        }
        if let v = value("OTEL_METRIC_EXPORT_INTERVAL") {
            if let ms = Int64(v.value), ms > 0 { c.exportInterval = .milliseconds(ms) } else { ignored.append(v.name) }
        }
        if let v = value("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION") {
            if let x = OTLPCompression(rawValue: v.value.lowercased()) { c.compression = x } else { ignored.append(v.name) }
        }
        if let v = value("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE") {
            if let x = OTLPTemporality(rawValue: v.value.lowercased()) { c.temporality = x } else { ignored.append(v.name) }
        }
        if let v = value("OTEL_RESOURCE_ATTRIBUTES") {
            if let pairs = Self.keyValueList(v.value) { c.resourceAttributes.merge(pairs) { $1 } } else { ignored.append(v.name) }
        }
        if let v = value("OTEL_SERVICE_NAME") { c.serviceName = v.value }
        return (c, ignored)
    }

    /// Parses `k=v,k2=v2` with percent-encoded values (W3C Baggage style); `nil` when malformed.
    static func keyValueList(_ text: String) -> [String: String]? {
        var out: [String: String] = [:]
        for item in text.split(separator: ",") {
            guard let eq = item.firstIndex(of: "=") else { return nil }
            let key = String(item[..<eq]).trimmingSpaces
            guard !key.isEmpty, let value = percentDecoded(String(item[item.index(after: eq)...]).trimmingSpaces) else { return nil }
            out[key] = value
        }
        return out
    }

    /// `%XX` sequences decoded as UTF-8 bytes; `nil` for a malformed escape.
    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            guard b == UInt8(ascii: "%") else { bytes.append(b); continue }
            guard it.count >= 2, let hi = hexValue(it.removeFirst()), let lo = hexValue(it.removeFirst()) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
