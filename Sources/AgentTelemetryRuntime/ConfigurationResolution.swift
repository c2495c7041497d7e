import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import Foundation
import Logging
import Yams

extension ConfigurationLoader.Context {
    /// Applies defaults and checks ranges, names and URLs; `nil` (with problems recorded) when invalid.
    mutating func resolve(_ file: FileConfiguration, root: Node) -> RuntimeConfiguration? {
        let start = problems.count
        func check(_ ok: Bool, _ path: String, _ message: String) {
            if !ok { add(path.split(separator: ".").map(String.init), message, root) }
        }

        // service
        let service = RuntimeConfiguration.ServiceIdentity(
            name: file.service?.name ?? "agent", version: file.service?.version,
            instanceID: file.service?.instanceId ?? RandomIdentifier.make(), attributes: file.service?.attributes ?? [:])
        check(!service.name.isEmpty, "service.name", "must not be empty")

        // metrics
        var standard = StandardMetricsConfiguration()
        let m = file.metrics
        if let ns = m?.namespace {
            check(ns.isEmpty || MetricNameRules.metricNameProblem(ns) == nil, "metrics.namespace",
                  "\"\(ns)\" is not a valid metric name prefix: \(MetricNameRules.metricNameProblem(ns) ?? "")")
            standard.namespace = ns
        }
        let limit = m?.cardinalityLimit ?? 2000
        check((1...1_000_000).contains(limit), "metrics.cardinality_limit", "\(limit) is out of range 1…1000000")
        var disabled = Set<MetricCategory>()
        for (name, on) in m?.categories ?? [:] {
            guard let category = MetricCategory(rawValue: name) else {
                var msg = "unknown category \"\(name)\""
                if let s = ConfigSchema.suggestion(for: name, among: MetricCategory.allCases.map(\.rawValue)) { msg += "; did you mean \"\(s)\"?" }
                else { msg += "; categories: " + MetricCategory.allCases.map(\.rawValue).joined(separator: ", ") }
                check(false, "metrics.categories.\(name)", msg)
                continue
            }
            if !on { disabled.insert(category) }
        }
        standard.disabledCategories = disabled
        let histogramNames = Set(MetricCatalog.all.filter { $0.type == .histogram }.flatMap { [$0.baseName, $0.name(namespace: standard.namespace)] })
        for (name, bounds) in m?.buckets ?? [:] {
            if !histogramNames.contains(name) {
                var msg = "\"\(name)\" is not a histogram of the catalog"
                if let s = ConfigSchema.suggestion(for: name, among: histogramNames) { msg += "; did you mean \"\(s)\"?" }
                check(false, "metrics.buckets.\(name)", msg)
            } else if let problem = Buckets.problem(bounds) {
                check(false, "metrics.buckets.\(name)", problem)
            }
        }
        standard.bucketOverrides = m?.buckets ?? [:]
        var prices: [String: ModelPrice] = [:]
        for (model, p) in m?.prices ?? [:] {
            check(p.inputPerMillion >= 0 && p.outputPerMillion >= 0 && p.inputPerMillion.isFinite && p.outputPerMillion.isFinite,
                  "metrics.prices.\(model)", "prices must be finite and not negative")
            prices[model] = ModelPrice(inputPerMillion: p.inputPerMillion, outputPerMillion: p.outputPerMillion)
        }
        standard.priceTable = PriceTable(prices)
        if let idle = m?.sessionIdleTimeout {
            check(idle.duration > .zero, "metrics.session_idle_timeout", "must be positive")
            standard.sessionIdleTimeout = idle.duration
        }

        // bus
        var bus = EventBusConfiguration()
        if let c = file.bus?.capacity { check((16...100_000_000).contains(c), "bus.capacity", "\(c) is out of range 16…100000000"); bus.capacity = c }
        if let c = file.bus?.subscriberCapacity {
            check((16...100_000_000).contains(c), "bus.subscriber_capacity", "\(c) is out of range 16…100000000"); bus.subscriberCapacity = c
        }
        if let p = file.bus?.overflowPolicy {
            if let policy = OverflowPolicy(rawValue: p) { bus.overflowPolicy = policy }
            else { check(false, "bus.overflow_policy", "\"\(p)\" is not one of " + OverflowPolicy.allCases.map(\.rawValue).joined(separator: ", ")) }
        }
        let telemetry = TelemetryConfiguration(bus: bus, standardMetrics: standard, cardinalityLimit: limit,
                                               enableStandardMetrics: true, sampleProcess: m?.processSampler ?? true)

        // prometheus (on by default: it is the main way to read the metrics)
        var prometheus: PrometheusExporterConfiguration?
        var textfile: (String, Duration)?
        let p = file.exporters?.prometheus
        if p?.enabled ?? true {
            var c = PrometheusExporterConfiguration()
            if let v = p?.host { c.host = v }
            if let v = p?.port { c.port = v }
            if let v = p?.path { c.path = v }
            if let v = p?.gzip { c.enableGzip = v }
            if let v = p?.idleTimeout { c.idleTimeout = v.duration }
            if let auth = p?.auth {
                switch auth.type ?? (auth.username != nil ? "basic" : "bearer") {
                case "bearer":
                    if let token = secret(auth.token, auth.tokenFile, "exporters.prometheus.auth.token", root) {
                        c.authentication = .bearer(token: token)
                    } else {
                        check(false, "exporters.prometheus.auth", "bearer auth needs token or token_file")
                    }
                case "basic":
                    let password = secret(auth.password, auth.passwordFile, "exporters.prometheus.auth.password", root)
                    if let user = auth.username, let password {
                        c.authentication = .basic(username: user, password: password)
                    } else {
                        check(false, "exporters.prometheus.auth", "basic auth needs username and password or password_file")
                    }
                case let other:
                    check(false, "exporters.prometheus.auth.type", "\"\(other)\" is not one of bearer, basic")
                }
            }
            for problem in c.validate() {
                let field = String(problem.prefix { $0 != ":" })
                let key: String = switch field {
                case "max_request_head_bytes": "max_request_head_bytes"
                case "idle_timeout": "idle_timeout"
                case "auth.token", "auth.username": field
                default: field
                }
                check(false, "exporters.prometheus.\(key)", String(problem.drop { $0 != ":" }.dropFirst(2)))
            }
            prometheus = c
            if let t = p?.textfile {
                if let path = t.path, !path.isEmpty {
                    let interval = t.interval?.duration ?? .seconds(15)
                    check(interval > .zero, "exporters.prometheus.textfile.interval", "must be positive")
                    let dir = (path as NSString).deletingLastPathComponent
                    var isDir: ObjCBool = false
                    check(dir.isEmpty || (FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue),
                          "exporters.prometheus.textfile.path", "directory \"\(dir)\" does not exist")
                    textfile = (path, interval)
                } else {
                    check(false, "exporters.prometheus.textfile.path", "is required when textfile is configured")
                }
            }
        }

        // otlp
        var otlp: OTLPExporterConfiguration?
        if let o = file.exporters?.otlp, o.enabled ?? true {
            var c = OTLPExporterConfiguration(serviceName: service.name, serviceVersion: service.version,
                                              serviceInstanceID: service.instanceID, resourceAttributes: service.attributes)
            if let v = o.endpoint { c.endpoint = v }
            if let v = o.metricsEndpoint { c.metricsEndpoint = v }
            var headers = o.headers ?? [:]
            if let path = o.headersFile {
                if let text = readSecretFile(path, "exporters.otlp.headers_file", root) {
                    for line in Self.lines(text) where !line.trimmingCharacters(in: .whitespaces).isEmpty && !line.hasPrefix("#") {
                        let kv = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        if kv.count == 2 { headers[kv[0]] = kv[1] } else { check(false, "exporters.otlp.headers_file", "lines must be \"Name: value\"") }
                    }
                }
            }
            c.headers = headers
            if let v = o.interval { c.exportInterval = v.duration }
            if let v = o.timeout { c.timeout = v.duration }
            if let v = o.maxDataPointsPerRequest {
                check((1...10_000_000).contains(v), "exporters.otlp.max_data_points_per_request", "\(v) is out of range 1…10000000")
                c.maxDataPointsPerRequest = v
            }
            if let v = o.temporality {
                if let t = OTLPTemporality(rawValue: v.lowercased()) { c.temporality = t }
                else { check(false, "exporters.otlp.temporality", "\"\(v)\" is not one of cumulative, delta") }
            }
            if let v = o.compression {
                if let t = OTLPCompression(rawValue: v.lowercased()) { c.compression = t }
                else { check(false, "exporters.otlp.compression", "\"\(v)\" is not one of gzip, none") }
            }
            for (key, url) in [("endpoint", c.endpoint), ("metrics_endpoint", c.metricsEndpoint)] {
                guard let url else { continue }
                if let problem = Self.urlProblem(url) { check(false, "exporters.otlp.\(key)", problem) }
            }
            check(c.exportInterval > .zero, "exporters.otlp.interval", "must be positive")
            check(c.timeout > .zero, "exporters.otlp.timeout", "must be positive")
            otlp = c
        }

        // statsd
        var statsd: StatsDConfiguration?
        if let s = file.exporters?.statsd, s.enabled ?? true {
            var c = StatsDConfiguration()
            if let v = s.host { c.host = v }
            if let v = s.port { check((1...65535).contains(v), "exporters.statsd.port", "\(v) is not between 1 and 65535"); c.port = v }
            switch s.transport?.lowercased() ?? "udp" {
            case "udp": c.transport = .udp
            case "uds", "unix":
                if let path = s.socketPath, !path.isEmpty { c.transport = .unixDomainSocket(path: path) }
                else { check(false, "exporters.statsd.socket_path", "is required for the uds transport") }
            case let other: check(false, "exporters.statsd.transport", "\"\(other)\" is not one of udp, uds")
            }
            switch s.flavor?.lowercased() ?? "etsy" {
            case "etsy": c.flavour = .etsy
            case "dogstatsd", "datadog": c.flavour = .dogStatsD
            case "telegraf", "influx": c.flavour = .telegraf
            case let other: check(false, "exporters.statsd.flavor", "\"\(other)\" is not one of etsy, dogstatsd, telegraf")
            }
            if let v = s.prefix { c.prefix = v }
            if let v = s.tags { c.constantTags = v }
            if let v = s.maxPacketSize { check((64...65_000).contains(v), "exporters.statsd.max_packet_size", "\(v) is out of range 64…65000"); c.maxPacketSize = v }
            if let v = s.flushInterval { check(v.duration > .zero, "exporters.statsd.flush_interval", "must be positive"); c.flushInterval = v.duration }
            if let v = s.sampleRate { check(v > 0 && v <= 1, "exporters.statsd.sample_rate", "\(v) is not in (0, 1]"); c.sampleRate = v }
            if let v = s.queueCapacity { check((1...10_000_000).contains(v), "exporters.statsd.queue_capacity", "\(v) is out of range 1…10000000"); c.queueCapacity = v }
            statsd = c
        }

        // logging
        var level = Logger.Level.info
        if let l = file.logging?.level {
            if let parsed = Logger.Level(rawValue: l.lowercased()) { level = parsed }
            else { check(false, "logging.level", "\"\(l)\" is not one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) }
        }

        guard problems.count == start else { return nil }
        return RuntimeConfiguration(service: service, telemetry: telemetry, prometheus: prometheus, textfile: textfile,
                                    otlp: otlp, statsd: statsd, logLevel: level, effective: file)
    }

    /// A secret given inline or as a file path (the file's content, without trailing newlines).
    mutating func secret(_ inline: String?, _ file: String?, _ key: String, _ root: Node) -> String? {
        if let inline, !inline.isEmpty { return inline }
        guard let file else { return nil }
        return readSecretFile(file, key + "_file", root)
    }

    mutating func readSecretFile(_ path: String, _ key: String, _ root: Node) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            add(key.split(separator: ".").map(String.init), "cannot read \"\(path)\"", root)
            return nil
        }
        // Work on bytes: in Swift "\r\n" is one Character, so character-wise trimming would keep it.
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lines of a text file, accepting LF and CRLF endings.
    static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            var bytes = Array(line)
            if bytes.last == 0x0D { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static func urlProblem(_ url: String) -> String? {
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased() else { return "\"\(url)\" is not a URL" }
        guard scheme == "http" || scheme == "https" else { return "\"\(url)\" must use http or https" }
        guard let host = u.host, !host.isEmpty else { return "\"\(url)\" has no host" }
        return nil
    }
}

/// Random identifiers for `service.instance.id`.
enum RandomIdentifier {
    static func make() -> String { UUID().uuidString.lowercased() }
}
