import AgentTelemetry

/// The one reader of the OpenTelemetry SDK's standard variables. It turns them into values at
/// key paths of the configuration (applied above the file, below `AGENT_TELEMETRY_*`); the
/// sections then validate them like any value, with the variable named as their origin.
///
/// | variable | key |
/// |---|---|
/// | `OTEL_SERVICE_NAME` | `service.name` (wins over `service.name` in the attributes) |
/// | `OTEL_RESOURCE_ATTRIBUTES` (`k=v,…`) | `service.name`, `service.version`, `service.instance_id` for `service.name`, `service.version`, `service.instance.id`; `service.attributes.<k>` for the rest |
/// | `OTEL_METRICS_EXPORTER` | `exporters.otlp.enabled`: true when the list names `otlp` |
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | `exporters.otlp.endpoint` |
/// | `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` | `exporters.otlp.metrics_endpoint` |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]HEADERS` (`k=v,…`) | `exporters.otlp.headers.<k>` |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]COMPRESSION` | `exporters.otlp.compression` |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]TIMEOUT` (ms) | `exporters.otlp.timeout` |
/// | `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` | `exporters.otlp.temporality` |
/// | `OTEL_METRIC_EXPORT_INTERVAL` (ms) | `exporters.otlp.interval` |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL` | checked: only `http/protobuf` is spoken |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]CERTIFICATE` | `exporters.otlp.tls.ca_file` |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]CLIENT_CERTIFICATE` | `exporters.otlp.tls.cert_file` |
/// | `OTEL_EXPORTER_OTLP_[METRICS_]CLIENT_KEY` | `exporters.otlp.tls.key_file` |
///
/// `OTEL_EXPORTER_OTLP_INSECURE` is not read: the specification defines it for gRPC only, and
/// this exporter speaks HTTP (`exporters.otlp.tls.insecure_skip_verify` is the file's key).
///
/// Rules: an empty variable counts as unset (as the specification says); a metrics-specific
/// variable wins over the general one. Unless `OTEL_METRICS_EXPORTER` decides, an endpoint
/// variable turns OTLP on, but not over an explicit `exporters.otlp.enabled` in the file; the
/// other variables (headers, timeout, …) never turn it on by themselves, since other SDKs in the
/// same process read them too. They are still checked.
/// `k=v` lists follow W3C Baggage: items separated by single commas, optional spaces around keys
/// and values, values percent-decoded; an empty item, an item without `=`, an empty key or a
/// malformed `%` escape is refused (the whole configuration is then invalid), and messages name
/// the item by position and key, never by value. `lowmemory` temporality is read as `delta`:
/// this exporter has one temporality for all sums, and the counters and histograms it exports
/// are the instruments `lowmemory` makes delta.
enum OpenTelemetryEnvironment {
    static let otlp = ["exporters", "otlp"]

    /// The values the variables set, and the problems of malformed ones.
    /// - Parameter fileSetsOTLPEnabled: whether the file has `exporters.otlp.enabled`.
    /// - Parameters:
    ///   - fileHasOTLP: whether the file has an `exporters.otlp` section.
    ///   - fileSetsOTLPEnabled: whether that section has `enabled`.
    static func read(_ environment: [String: String], fileHasOTLP: Bool, fileSetsOTLPEnabled: Bool) -> (ConfigurationOverrides, [LocatedIssue]) {
        var reader = Reader(environment: environment)
        reader.readResource()
        reader.readOTLP(fileSetsEnabled: fileSetsOTLPEnabled)
        if !fileHasOTLP, reader.overrides.value(at: otlp + ["enabled"]) == nil, let v = reader.overrides.anyValue(under: otlp) {
            reader.overrides.set(otlp + ["enabled"], "false", from: v.variable)
        }
        return (reader.overrides, reader.issues)
    }

    private struct Reader {
        let environment: [String: String]
        var overrides = ConfigurationOverrides()
        var issues: [LocatedIssue] = []

        /// The variable's value, trimmed; nil when unset or empty.
        func value(_ name: String) -> String? {
            guard let raw = environment[name] else { return nil }
            let v = ConfigurationText.trimmed(raw)
            return v.isEmpty ? nil : v
        }

        mutating func problem(_ path: [String], _ variable: String, _ message: String) {
            issues.append(LocatedIssue(path: path, message: message, origin: .environment(variable)))
        }

        mutating func readResource() {
            let variable = "OTEL_RESOURCE_ATTRIBUTES"
            if let text = value(variable), let pairs = list(text, variable: variable, path: ["service", "attributes"]) {
                var attributes: [(String, String)] = []
                attributes.reserveCapacity(pairs.count)
                for (key, v) in pairs {
                    switch key {
                    case "service.name": overrides.set(["service", "name"], v, from: variable)
                    case "service.version": overrides.set(["service", "version"], v, from: variable)
                    case "service.instance.id": overrides.set(["service", "instance_id"], v, from: variable)
                    default: attributes.append((key, v))
                    }
                }
                overrides.set(under: ["service", "attributes"], attributes, from: variable)
            }
            if let name = value("OTEL_SERVICE_NAME") { overrides.set(["service", "name"], name, from: "OTEL_SERVICE_NAME") }
        }

        mutating func readOTLP(fileSetsEnabled: Bool) {
            let otlp = OpenTelemetryEnvironment.otlp
            if let exporters = value("OTEL_METRICS_EXPORTER") {
                let names = exporters.split(separator: ",").map { ConfigurationText.trimmed($0).lowercased() }
                overrides.set(otlp + ["enabled"], names.contains("otlp") ? "true" : "false", from: "OTEL_METRICS_EXPORTER")
            } else if !fileSetsEnabled {
                for variable in ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] where value(variable) != nil {
                    overrides.set(otlp + ["enabled"], "true", from: variable)
                }
            }
            if let v = value("OTEL_EXPORTER_OTLP_ENDPOINT") { overrides.set(otlp + ["endpoint"], v, from: "OTEL_EXPORTER_OTLP_ENDPOINT") }
            if let v = value("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
                overrides.set(otlp + ["metrics_endpoint"], v, from: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
            }
            for variable in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"] {
                guard let text = value(variable), let pairs = list(text, variable: variable, path: otlp + ["headers"]) else { continue }
                overrides.set(under: otlp + ["headers"], pairs, from: variable)
            }
            for variable in ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION"] {
                if let v = value(variable) { overrides.set(otlp + ["compression"], v, from: variable) }
            }
            for variable in ["OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"] {
                milliseconds(variable, path: otlp + ["timeout"])
            }
            milliseconds("OTEL_METRIC_EXPORT_INTERVAL", path: otlp + ["interval"])
            let temporality = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
            if let v = value(temporality) {
                overrides.set(otlp + ["temporality"], v.lowercased() == "lowmemory" ? "delta" : v, from: temporality)
            }
            // TLS files: the metrics-specific variable is read last, so it wins.
            for (suffix, key) in [("CERTIFICATE", "ca_file"), ("CLIENT_CERTIFICATE", "cert_file"), ("CLIENT_KEY", "key_file")] {
                for variable in ["OTEL_EXPORTER_OTLP_" + suffix, "OTEL_EXPORTER_OTLP_METRICS_" + suffix] {
                    if let v = value(variable) { overrides.set(otlp + ["tls", key], v, from: variable) }
                }
            }
            for variable in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"] {
                if let v = value(variable), v.lowercased() != "http/protobuf" {
                    problem(otlp, variable, "\(ConfigurationText.quotedForMessage(v)) is not supported: this exporter speaks http/protobuf only")
                }
            }
        }

        /// A whole number of milliseconds, set as a duration.
        mutating func milliseconds(_ variable: String, path: [String]) {
            guard let text = value(variable) else { return }
            guard text.allSatisfy(\.isASCII), let ms = Int64(text), ms >= 0 else {
                problem(path, variable, "\(ConfigurationText.quotedForMessage(text)) is not a whole number of milliseconds")
                return
            }
            overrides.set(path, "\(ms)ms", from: variable)
        }

        /// `k=v,k2=v2` with percent-encoded values, or nil (with problems recorded) when malformed.
        /// Cost: one pass over the bytes.
        mutating func list(_ text: String, variable: String, path: [String]) -> [(String, String)]? {
            let bytes = Array(text.utf8)
            var pairs: [(String, String)] = []
            var ok = true
            var itemStart = 0
            var position = 0
            while itemStart <= bytes.count {
                position += 1
                var itemEnd = itemStart
                while itemEnd < bytes.count, bytes[itemEnd] != UInt8(ascii: ",") { itemEnd += 1 }
                defer { itemStart = itemEnd + 1 }
                let item = Self.trimmed(bytes[itemStart..<itemEnd])
                guard let eq = item.firstIndex(of: UInt8(ascii: "=")) else {
                    problem(path, variable, item.isEmpty ? "item \(position) is empty (items are separated by single commas)" : "item \(position) is not key=value")
                    ok = false
                    continue
                }
                let keyBytes = Self.trimmed(item[..<eq])
                guard !keyBytes.isEmpty else {
                    problem(path, variable, "item \(position) has no key before =")
                    ok = false
                    continue
                }
                let key = String(decoding: keyBytes, as: UTF8.self)
                switch Self.percentDecoded(Self.trimmed(item[(eq + 1)...])) {
                case .success(let v):
                    pairs.append((key, v))
                case .failure(let why):
                    problem(path, variable, "item \(position) (\(ConfigurationText.quotedForMessage(key))): \(why.description)")
                    ok = false
                }
            }
            return ok ? pairs : nil
        }

        /// The bytes without leading and trailing spaces and tabs.
        static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var s = bytes
            while let f = s.first, f == UInt8(ascii: " ") || f == UInt8(ascii: "\t") { s.removeFirst() }
            while let l = s.last, l == UInt8(ascii: " ") || l == UInt8(ascii: "\t") { s.removeLast() }
            return s
        }

        /// Why a value cannot be percent-decoded.
        enum DecodingProblem: Error, CustomStringConvertible {
            case malformedEscape, notUTF8
            var description: String {
                switch self {
                case .malformedEscape: "the value has a malformed percent escape (use %XX with two hex digits)"
                case .notUTF8: "the value is not UTF-8 once percent-decoded"
                }
            }
        }

        /// `%XX` sequences decoded as UTF-8 bytes.
        static func percentDecoded(_ text: ArraySlice<UInt8>) -> Result<String, DecodingProblem> {
            guard text.contains(UInt8(ascii: "%")) else { return .success(String(decoding: text, as: UTF8.self)) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.count)
            var i = text.startIndex
            while i < text.endIndex {
                let b = text[i]
                guard b == UInt8(ascii: "%") else {
                    bytes.append(b)
                    i += 1
                    continue
                }
                guard i + 2 < text.endIndex, let hi = hexValue(text[i + 1]), let lo = hexValue(text[i + 2]) else {
                    return .failure(.malformedEscape)
                }
                bytes.append(hi << 4 | lo)
                i += 3
            }
            guard let decoded = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
            return .success(decoded)
        }

        static func hexValue(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
            default: nil
            }
        }
    }
}
