public import AgentTelemetry
import AgentTelemetryPrometheus

/// The registry's metrics as OpenMetrics 1.0 text: the format that carries exemplars
/// (`… # {trace_id="…",span_id="…"} value timestamp` after a bucket or `_total` sample).
public func openMetricsText(_ registry: MetricRegistry) -> String {
    var bytes: [UInt8] = []
    PrometheusTextEncoder(format: .openMetrics).encode(registry: registry, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// The exposition lines of the metric families whose names start with `prefix` (the `# TYPE`,
/// `# HELP` and `# UNIT` lines left out).
public func sampleLines(_ exposition: String, startingWith prefix: String) -> [Substring] {
    exposition.split(separator: "\n").filter { $0.hasPrefix(prefix) }
}
