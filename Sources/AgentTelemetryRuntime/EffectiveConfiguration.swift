import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD

/// Prints a resolved configuration as YAML, with every secret masked.
public enum EffectiveConfiguration {
    /// The effective configuration as YAML. Tokens, passwords and header values print as `"***"`.
    public static func render(_ c: RuntimeConfiguration) -> String {
        var out: [String] = []
        func line(_ indent: Int, _ text: String) { out.append(String(repeating: "  ", count: indent) + text) }
        func q(_ s: String) -> String { CatalogDocument.quote(s) }
        line(0, "service:")
        line(1, "name: \(q(c.service.name))")
        if let v = c.service.version { line(1, "version: \(q(v))") }
        line(1, "instance_id: \(q(c.service.instanceID))")
        if !c.service.attributes.isEmpty {
            line(1, "attributes:")
            for (k, v) in c.service.attributes.sorted(by: { $0.key < $1.key }) { line(2, "\(q(k)): \(q(v))") }
        }
        let t = c.telemetry
        line(0, "metrics:")
        line(1, "namespace: \(q(t.standardMetrics.namespace))")
        line(1, "cardinality_limit: \(t.cardinalityLimit)")
        line(1, "process_sampler: \(t.sampleProcess)")
        line(1, "session_idle_timeout: \(ConfigDuration(t.standardMetrics.sessionIdleTimeout))")
        if !t.standardMetrics.disabledCategories.isEmpty {
            line(1, "categories:")
            for cat in t.standardMetrics.disabledCategories.map(\.rawValue).sorted() { line(2, "\(cat): false") }
        }
        if !t.standardMetrics.bucketOverrides.isEmpty {
            line(1, "buckets:")
            for (k, v) in t.standardMetrics.bucketOverrides.sorted(by: { $0.key < $1.key }) {
                line(2, "\(q(k)): [\(v.map { String($0) }.joined(separator: ", "))]")
            }
        }
        if !t.standardMetrics.priceTable.prices.isEmpty {
            line(1, "prices:")
            for (k, v) in t.standardMetrics.priceTable.prices.sorted(by: { $0.key < $1.key }) {
                line(2, "\(q(k)): {input_per_million: \(v.inputPerMillion), output_per_million: \(v.outputPerMillion)}")
            }
        }
        line(0, "bus:")
        line(1, "capacity: \(t.bus.capacity)")
        line(1, "overflow_policy: \(t.bus.overflowPolicy.rawValue)")
        line(1, "subscriber_capacity: \(t.bus.subscriberCapacity)")
        line(0, "exporters:")
        if let p = c.prometheus {
            line(1, "prometheus:")
            line(2, "enabled: true")
            line(2, "host: \(q(p.host))")
            line(2, "port: \(p.port)")
            line(2, "path: \(q(p.path))")
            line(2, "gzip: \(p.enableGzip)")
            line(2, "idle_timeout: \(ConfigDuration(p.idleTimeout))")
            switch p.authentication {
            case .bearer?: line(2, "auth: {type: bearer, token: \"***\"}")
            case .basic(let user, _)?: line(2, "auth: {type: basic, username: \(q(user)), password: \"***\"}")
            case nil: break
            }
            if let tf = c.textfile { line(2, "textfile: {path: \(q(tf.path)), interval: \(ConfigDuration(tf.interval))}") }
        } else {
            line(1, "prometheus: {enabled: false}")
        }
        if let o = c.otlp {
            line(1, "otlp:")
            line(2, "enabled: true")
            line(2, "endpoint: \(q(o.endpoint))")
            if let m = o.metricsEndpoint { line(2, "metrics_endpoint: \(q(m))") }
            if !o.headers.isEmpty {
                line(2, "headers:")
                for k in o.headers.keys.sorted() { line(3, "\(q(k)): \"***\"") }
            }
            line(2, "interval: \(ConfigDuration(o.exportInterval))")
            line(2, "temporality: \(o.temporality.rawValue)")
            line(2, "compression: \(o.compression.rawValue)")
            line(2, "timeout: \(ConfigDuration(o.timeout))")
            line(2, "max_data_points_per_request: \(o.maxDataPointsPerRequest)")
        } else {
            line(1, "otlp: {enabled: false}")
        }
        if let s = c.statsd {
            line(1, "statsd:")
            line(2, "enabled: true")
            line(2, "host: \(q(s.host))")
            line(2, "port: \(s.port)")
            switch s.transport {
            case .udp: line(2, "transport: udp")
            case .unixDomainSocket(let path): line(2, "transport: uds"); line(2, "socket_path: \(q(path))")
            }
            line(2, "flavor: \(s.flavour == .dogStatsD ? "dogstatsd" : s.flavour.rawValue)")
            line(2, "prefix: \(q(s.prefix))")
            if !s.constantTags.isEmpty {
                line(2, "tags:")
                for (k, v) in s.constantTags.sorted(by: { $0.key < $1.key }) { line(3, "\(q(k)): \(q(v))") }
            }
            line(2, "max_packet_size: \(s.effectiveMaxPacketSize)")
            line(2, "flush_interval: \(ConfigDuration(s.flushInterval))")
            line(2, "sample_rate: \(s.sampleRate)")
            line(2, "queue_capacity: \(s.queueCapacity)")
        } else {
            line(1, "statsd: {enabled: false}")
        }
        line(0, "logging:")
        line(1, "level: \(c.logLevel.rawValue)")
        return out.joined(separator: "\n") + "\n"
    }
}
