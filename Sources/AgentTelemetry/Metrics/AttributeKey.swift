/// The two spellings of a label: its OpenTelemetry attribute key, which OTLP sends
/// (`gen_ai.request.model`, `error.type`), and its Prometheus label name, derived from the key
/// by Prometheus' own translation of OTLP attributes (`gen_ai_request_model`, `error_type`).
///
/// The key is the one source of truth: the catalog declares keys, and Prometheus, StatsD and the
/// documents use the derived name, which is exactly what a Prometheus server ingesting the OTLP
/// export would show. A key without dots or other characters outside `[a-zA-Z0-9_]` is its own
/// Prometheus name, so every label the catalog had before keeps its name.
public enum AttributeKey {
    /// The Prometheus label name of `key`: every character outside `[a-zA-Z0-9_]` becomes `_`,
    /// and a key starting with a digit gets the prefix `key_` (Prometheus' normalisation rule).
    public static func prometheusName(_ key: String) -> String {
        var changed = false
        var out: [UInt8] = []
        out.reserveCapacity(key.utf8.count + 4)
        for b in key.utf8 {
            if MetricNameRules.isLetterOrUnderscore(b) || MetricNameRules.isDigit(b) {
                out.append(b)
            } else {
                out.append(0x5F)
                changed = true
            }
        }
        if let first = out.first, MetricNameRules.isDigit(first) {
            out.insert(contentsOf: Array("key_".utf8), at: 0)
            changed = true
        }
        return changed ? String(decoding: out, as: UTF8.self) : key
    }

    /// Returns `nil` when `key` can name a label in a configuration — a Prometheus label name or
    /// a dotted attribute key (`deployment.environment`): letters, digits, `_` and `.`, starting
    /// with a letter or `_`, and not reserved (`__`) once translated — else the reason it cannot.
    public static func problem(_ key: String) -> String? {
        let bytes = Array(key.utf8)
        guard let first = bytes.first else { return "the name is empty" }
        if let bad = bytes.first(where: { !(MetricNameRules.isLetterOrUnderscore($0) || MetricNameRules.isDigit($0) || $0 == 0x2E) }) {
            return "character \"\(String(decoding: [bad], as: UTF8.self))\" is not allowed (a label name [a-zA-Z_][a-zA-Z0-9_]* or an attribute key with dots)"
        }
        if !MetricNameRules.isLetterOrUnderscore(first) {
            return "must start with a letter or '_'"
        }
        return MetricNameRules.labelNameProblem(prometheusName(key))
    }

    /// Whether `spelling` names the label whose key is `key`, in either spelling.
    public static func names(_ spelling: String, key: String) -> Bool {
        spelling == key || spelling == prometheusName(key)
    }

    /// The attribute key OTLP sends for the overflow series' label (`otel_metric_overflow` on
    /// Prometheus): the OpenTelemetry SDK specification's `otel.metric.overflow`.
    public static let overflow = "otel.metric.overflow"
}
