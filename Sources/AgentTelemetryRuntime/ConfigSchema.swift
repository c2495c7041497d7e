/// The shape of the configuration file: which keys exist where, for unknown-key errors with a
/// "did you mean", and for the environment variable names (one rule for all keys).
indirect enum ConfigSchema: Sendable {
    /// A value (string, number, bool, list of numbers).
    case leaf
    /// A mapping with these keys.
    case object([String: ConfigSchema])
    /// A mapping with user-chosen keys, each holding this.
    case dictionary(ConfigSchema)

    static let root: ConfigSchema = .object([
        "service": .object(["name": .leaf, "version": .leaf, "instance_id": .leaf, "attributes": .dictionary(.leaf)]),
        "metrics": .object([
            "namespace": .leaf, "cardinality_limit": .leaf, "categories": .dictionary(.leaf), "buckets": .dictionary(.leaf),
            "prices": .dictionary(.object(["input_per_million": .leaf, "output_per_million": .leaf])),
            "session_idle_timeout": .leaf, "process_sampler": .leaf,
        ]),
        "bus": .object(["capacity": .leaf, "overflow_policy": .leaf, "subscriber_capacity": .leaf]),
        "exporters": .object([
            "prometheus": .object([
                "enabled": .leaf, "host": .leaf, "port": .leaf, "path": .leaf, "gzip": .leaf, "idle_timeout": .leaf,
                "auth": .object(["type": .leaf, "token": .leaf, "token_file": .leaf, "username": .leaf, "password": .leaf, "password_file": .leaf]),
                "textfile": .object(["path": .leaf, "interval": .leaf]),
            ]),
            "otlp": .object([
                "enabled": .leaf, "endpoint": .leaf, "metrics_endpoint": .leaf, "headers": .dictionary(.leaf), "headers_file": .leaf,
                "interval": .leaf, "temporality": .leaf, "compression": .leaf, "timeout": .leaf, "max_data_points_per_request": .leaf,
            ]),
            "statsd": .object([
                "enabled": .leaf, "host": .leaf, "port": .leaf, "transport": .leaf, "socket_path": .leaf, "flavor": .leaf,
                "prefix": .leaf, "tags": .dictionary(.leaf), "max_packet_size": .leaf, "flush_interval": .leaf,
                "sample_rate": .leaf, "queue_capacity": .leaf,
            ]),
        ]),
        "logging": .object(["level": .leaf]),
    ])

    /// Every leaf key path under fixed keys (not inside user dictionaries), e.g. `exporters.prometheus.port`.
    static var leafPaths: [[String]] {
        var out: [[String]] = []
        func walk(_ s: ConfigSchema, _ path: [String]) {
            switch s {
            case .leaf: out.append(path)
            case .object(let keys): for (k, v) in keys.sorted(by: { $0.key < $1.key }) { walk(v, path + [k]) }
            case .dictionary: break
            }
        }
        walk(root, [])
        return out
    }

    /// The environment variable that overrides a leaf: `AGENT_TELEMETRY_` + the key path without
    /// a leading `exporters`, joined by `_`, upper-cased. `exporters.prometheus.port` →
    /// `AGENT_TELEMETRY_PROMETHEUS_PORT`, `bus.capacity` → `AGENT_TELEMETRY_BUS_CAPACITY`.
    static func environmentName(for path: [String]) -> String {
        let trimmed = path.first == "exporters" ? Array(path.dropFirst()) : path
        return "AGENT_TELEMETRY_" + trimmed.joined(separator: "_").uppercased()
    }

    /// The closest known key to `key` (edit distance ≤ 3), for "did you mean".
    static func suggestion(for key: String, among keys: some Sequence<String>) -> String? {
        var best: (String, Int)?
        for candidate in keys {
            let d = editDistance(key, candidate)
            if d <= max(2, min(3, candidate.count / 3)), d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
