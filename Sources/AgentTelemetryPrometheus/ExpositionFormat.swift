/// The text formats the encoder can produce.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4.
    case prometheusText
    /// OpenMetrics 1.0 text.
    case openMetrics
    /// The Prometheus protobuf format: length-delimited `io.prometheus.client.MetricFamily`
    /// messages, the only one carrying native histograms.
    case protobuf

    /// The `Content-Type` header value for the format.
    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        case .protobuf: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
        }
    }

    /// Chooses the format for an HTTP `Accept` header, by q-value (RFC 9110 §12.5.1): the
    /// protobuf format when `application/vnd.google.protobuf` with
    /// `proto=io.prometheus.client.MetricFamily` and `encoding=delimited` is named explicitly
    /// (no wildcard selects it) with a q above 0 and above both text formats'; else OpenMetrics
    /// when `application/openmetrics-text` has a q above 0 and above every range that admits the
    /// 0.0.4 text (`text/plain`, `text/*`, `*/*`); otherwise Prometheus text 0.0.4, also on a tie.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        var openMetrics = 0.0
        var text = 0.0
        var protobuf = 0.0
        for range in MediaRange.parse(accept) {
            switch range.type {
            case "application/openmetrics-text": openMetrics = max(openMetrics, range.q)
            case "text/plain", "text/*", "*/*": text = max(text, range.q)
            case "application/vnd.google.protobuf"
                where range.parameters["proto"] == "io.prometheus.client.metricfamily" && range.parameters["encoding"] == "delimited":
                protobuf = max(protobuf, range.q)
            default: continue
            }
        }
        if protobuf > 0 && protobuf > openMetrics && protobuf > text { return .protobuf }
        return openMetrics > 0 && openMetrics > text ? .openMetrics : .prometheusText
    }
}

/// One element of an `Accept` or `Accept-Encoding` header: a lower-cased type and its q-value.
struct MediaRange: Equatable {
    var type: String
    var q: Double
    /// The other parameters, names and values lower-cased.
    var parameters: [String: String] = [:]

    /// Parses a comma-separated list. Parameter names are case-insensitive; a malformed or
    /// out-of-range q counts as 0 (not acceptable).
    static func parse(_ header: String) -> [MediaRange] {
        header.split(separator: ",").compactMap { element in
            let fields = element.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
            guard let type = fields.first?.lowercased(), !type.isEmpty else { return nil }
            var q = 1.0
            var parameters: [String: String] = [:]
            for field in fields.dropFirst() {
                let kv = field.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                let name = kv[0].trimmingCharacters(in: " \t").lowercased()
                guard name == "q" else {
                    parameters[name] = kv[1].trimmingCharacters(in: " \t\"").lowercased()
                    continue
                }
                if let v = Double(kv[1].trimmingCharacters(in: " \t")), v >= 0, v <= 1 { q = v } else { q = 0 }
            }
            return MediaRange(type: type, q: q, parameters: parameters)
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
