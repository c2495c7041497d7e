import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import Foundation
import Logging
import Yams

/// Loads the YAML configuration, applies environment overrides, and validates everything,
/// reporting every problem with its key path and the file line or variable it came from.
///
/// Precedence, lowest to highest: built-in defaults, the file, the OpenTelemetry standard
/// variables (`OTEL_*`), then `AGENT_TELEMETRY_*` variables. One rule names the latter for every
/// scalar key: `AGENT_TELEMETRY_` + the key path without a leading `exporters`, joined by `_`,
/// upper-cased (`exporters.prometheus.port` → `AGENT_TELEMETRY_PROMETHEUS_PORT`).
public enum ConfigurationLoader {
    /// Loads `path` (or only defaults and environment when `nil`).
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> RuntimeConfiguration {
        guard let path else { return try load(yaml: "", source: "defaults", environment: environment) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: "", location: path, message: "cannot read the configuration file: \(error.localizedDescription)")])
        }
        return try load(yaml: text, source: path, environment: environment)
    }

    /// Loads configuration text; `source` names it in messages.
    public static func load(yaml: String, source: String, environment: [String: String] = [:]) throws(ConfigurationError) -> RuntimeConfiguration {
        var context = Context(source: source)
        var root: Node
        do {
            root = try Yams.compose(yaml: yaml) ?? .mapping(Node.Mapping([]))
        } catch let error as YamlError {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: "", location: source, message: "not valid YAML: \(error)")])
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: "", location: source, message: "not valid YAML: \(error)")])
        }
        if case .scalar(let s) = root, s.string.isEmpty { root = .mapping(Node.Mapping([])) }
        context.checkShape(root, ConfigSchema.root, path: [])
        if !context.problems.isEmpty { throw ConfigurationError(problems: context.problems) }

        root = context.applyOpenTelemetryEnvironment(environment, to: root)
        root = context.applyOwnEnvironment(environment, to: root)
        if !context.problems.isEmpty { throw ConfigurationError(problems: context.problems) }

        let file: FileConfiguration
        do {
            file = try YAMLDecoder().decode(FileConfiguration.self, from: root)
        } catch let error as DecodingError {
            throw ConfigurationError(problems: [context.problem(for: error, root: root)])
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(keyPath: "", location: source, message: "\(error)")])
        }
        let resolved = context.resolve(file, root: root)
        if !context.problems.isEmpty { throw ConfigurationError(problems: context.problems) }
        guard let resolved else { throw ConfigurationError(problems: [ConfigurationProblem(keyPath: "", location: source, message: "configuration could not be resolved")]) }
        return resolved
    }

    struct Context {
        let source: String
        var problems: [ConfigurationProblem] = []
        /// Key paths set from the environment, and the variable that set each.
        var fromEnvironment: [String: String] = [:]

        init(source: String) { self.source = source }

        func location(_ path: [String], _ root: Node?) -> String? {
            let key = path.joined(separator: ".")
            if let variable = fromEnvironment[key] { return "environment variable \(variable)" }
            if let root, let line = Context.node(at: path, in: root)?.mark?.line { return "\(source):\(line)" }
            return source == "defaults" ? nil : source
        }

        mutating func add(_ path: [String], _ message: String, _ root: Node?) {
            problems.append(ConfigurationProblem(keyPath: path.joined(separator: "."), location: location(path, root), message: message))
        }

        static func node(at path: [String], in root: Node) -> Node? {
            var current = root
            for key in path {
                guard case .mapping(let m) = current, let next = m[key] else { return nil }
                current = next
            }
            return current
        }

        // MARK: Shape

        mutating func checkShape(_ node: Node, _ schema: ConfigSchema, path: [String]) {
            switch schema {
            case .leaf:
                if case .mapping = node {
                    add(path, "expected a value, found a mapping", nil)
                    problems[problems.count - 1].location = node.mark.map { "\(source):\($0.line)" }
                }
            case .object(let keys):
                guard case .mapping(let m) = node else {
                    if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return }
                    problems.append(ConfigurationProblem(keyPath: path.joined(separator: "."), location: node.mark.map { "\(source):\($0.line)" }, message: "expected a mapping"))
                    return
                }
                for (k, v) in m {
                    guard let key = k.string else { continue }
                    if let sub = keys[key] {
                        checkShape(v, sub, path: path + [key])
                    } else {
                        var message = "unknown key \"\(key)\""
                        if let s = ConfigSchema.suggestion(for: key, among: keys.keys) { message += "; did you mean \"\(s)\"?" }
                        else { message += "; known keys here: " + keys.keys.sorted().joined(separator: ", ") }
                        problems.append(ConfigurationProblem(keyPath: (path + [key]).joined(separator: "."), location: k.mark.map { "\(source):\($0.line)" }, message: message))
                    }
                }
            case .dictionary(let value):
                guard case .mapping(let m) = node else {
                    if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return }
                    problems.append(ConfigurationProblem(keyPath: path.joined(separator: "."), location: node.mark.map { "\(source):\($0.line)" }, message: "expected a mapping"))
                    return
                }
                for (k, v) in m { checkShape(v, value, path: path + [k.string ?? "?"]) }
            }
        }

        // MARK: Environment

        static func setting(_ value: Node, at path: ArraySlice<String>, in node: Node?) -> Node {
            guard let key = path.first else { return value }
            var mapping: Node.Mapping
            if case .mapping(let m)? = node { mapping = m } else { mapping = Node.Mapping([]) }
            mapping[key] = setting(value, at: path.dropFirst(), in: mapping[key])
            return .mapping(mapping)
        }

        mutating func set(_ root: Node, _ path: [String], _ value: String, from variable: String) -> Node {
            fromEnvironment[path.joined(separator: ".")] = variable
            return Context.setting(Node(value), at: path[...], in: root)
        }

        mutating func applyOwnEnvironment(_ env: [String: String], to root: Node) -> Node {
            var root = root
            let known = Set(ConfigSchema.leafPaths.map(ConfigSchema.environmentName))
            for path in ConfigSchema.leafPaths {
                let name = ConfigSchema.environmentName(for: path)
                if let value = env[name] { root = set(root, path, value, from: name) }
            }
            for name in env.keys.sorted() where name.hasPrefix("AGENT_TELEMETRY_") && !known.contains(name) && name != "AGENT_TELEMETRY_CONFIG" && name != "AGENT_TELEMETRY_UPDATE_DOCS" {
                var message = "unknown environment variable \(name)"
                if let s = ConfigSchema.suggestion(for: name, among: known) { message += "; did you mean \(s)?" }
                problems.append(ConfigurationProblem(keyPath: "", location: nil, message: message))
            }
            return root
        }

        mutating func applyOpenTelemetryEnvironment(_ env: [String: String], to root: Node) -> Node {
            var root = root
            if let attrs = env["OTEL_RESOURCE_ATTRIBUTES"] {
                for pair in attrs.split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2, !kv[0].isEmpty else {
                        problems.append(ConfigurationProblem(keyPath: "service.attributes", location: "environment variable OTEL_RESOURCE_ATTRIBUTES", message: "\"\(pair)\" is not key=value"))
                        continue
                    }
                    let value = kv[1].removingPercentEncoding ?? kv[1]
                    if kv[0] == "service.name" { root = set(root, ["service", "name"], value, from: "OTEL_RESOURCE_ATTRIBUTES") }
                    else if kv[0] == "service.version" { root = set(root, ["service", "version"], value, from: "OTEL_RESOURCE_ATTRIBUTES") }
                    else if kv[0] == "service.instance.id" { root = set(root, ["service", "instance_id"], value, from: "OTEL_RESOURCE_ATTRIBUTES") }
                    else { root = set(root, ["service", "attributes", kv[0]], value, from: "OTEL_RESOURCE_ATTRIBUTES") }
                }
            }
            if let v = env["OTEL_SERVICE_NAME"] { root = set(root, ["service", "name"], v, from: "OTEL_SERVICE_NAME") }
            let otlp = ["exporters", "otlp"]
            // Whether OTLP runs: OTEL_METRICS_EXPORTER decides when set (`otlp` on, `none` off);
            // else an explicit `enabled` in the file stands; else an endpoint variable turns it on.
            let fileDecides = Context.node(at: otlp + ["enabled"], in: root) != nil
            if let exporters = env["OTEL_METRICS_EXPORTER"] {
                let names = exporters.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                root = set(root, otlp + ["enabled"], names.contains("otlp") ? "true" : "false", from: "OTEL_METRICS_EXPORTER")
            } else if !fileDecides && (env["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil || env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] != nil) {
                let variable = env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] != nil ? "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"
                root = set(root, otlp + ["enabled"], "true", from: variable)
            }
            if let v = env["OTEL_EXPORTER_OTLP_ENDPOINT"] {
                root = set(root, otlp + ["endpoint"], v, from: "OTEL_EXPORTER_OTLP_ENDPOINT")
            }
            if let v = env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] {
                root = set(root, otlp + ["metrics_endpoint"], v, from: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
            }
            for variable in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"] {
                guard let v = env[variable] else { continue }
                for pair in v.split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2, !kv[0].isEmpty else {
                        problems.append(ConfigurationProblem(keyPath: "exporters.otlp.headers", location: "environment variable \(variable)", message: "a header must be key=value"))
                        continue
                    }
                    root = set(root, otlp + ["headers", kv[0]], kv[1].removingPercentEncoding ?? kv[1], from: variable)
                }
            }
            for variable in ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION"] {
                if let v = env[variable] { root = set(root, otlp + ["compression"], v, from: variable) }
            }
            for variable in ["OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"] {
                guard let v = env[variable] else { continue }
                guard let ms = Double(v), ms >= 0 else {
                    problems.append(ConfigurationProblem(keyPath: "exporters.otlp.timeout", location: "environment variable \(variable)", message: "\"\(v)\" is not a number of milliseconds"))
                    continue
                }
                root = set(root, otlp + ["timeout"], "\(ms)ms", from: variable)
            }
            if let v = env["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] {
                // `lowmemory` asks for delta counters and histograms, which is what delta gives here.
                let t = v.lowercased() == "lowmemory" ? "delta" : v.lowercased()
                root = set(root, otlp + ["temporality"], t, from: "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")
            }
            if let v = env["OTEL_METRIC_EXPORT_INTERVAL"] {
                if let ms = Double(v), ms > 0 {
                    root = set(root, otlp + ["interval"], "\(ms)ms", from: "OTEL_METRIC_EXPORT_INTERVAL")
                } else {
                    problems.append(ConfigurationProblem(keyPath: "exporters.otlp.interval", location: "environment variable OTEL_METRIC_EXPORT_INTERVAL", message: "\"\(v)\" is not a positive number of milliseconds"))
                }
            }
            return root
        }

        // MARK: Decoding errors

        func problem(for error: DecodingError, root: Node) -> ConfigurationProblem {
            func keys(_ path: [any CodingKey]) -> [String] { path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } }
            switch error {
            case .typeMismatch(let type, let c):
                let path = keys(c.codingPath)
                return ConfigurationProblem(keyPath: path.joined(separator: "."), location: location(path.filter { !$0.hasPrefix("[") }, root),
                                            message: "expected \(Context.describe(type))\(Context.found(path, root))")
            case .valueNotFound(let type, let c):
                let path = keys(c.codingPath)
                return ConfigurationProblem(keyPath: path.joined(separator: "."), location: location(path, root), message: "expected \(Context.describe(type)), found nothing")
            case .keyNotFound(let key, let c):
                let path = keys(c.codingPath)
                return ConfigurationProblem(keyPath: path.joined(separator: "."), location: location(path, root), message: "missing required key \"\(key.stringValue)\"")
            case .dataCorrupted(let c):
                let path = keys(c.codingPath)
                return ConfigurationProblem(keyPath: path.joined(separator: "."), location: location(path.filter { !$0.hasPrefix("[") }, root), message: c.debugDescription)
            @unknown default:
                return ConfigurationProblem(keyPath: "", location: source, message: "\(error)")
            }
        }

        static func describe(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type: "an integer"
            case is Double.Type: "a number"
            case is Bool.Type: "true or false"
            case is String.Type: "a string"
            default: "a value of type \(type)"
            }
        }

        static func found(_ path: [String], _ root: Node) -> String {
            guard let n = node(at: path, in: root) else { return "" }
            switch n {
            case .scalar(let s): return ", found \"\(s.string)\""
            case .mapping: return ", found a mapping"
            case .sequence: return ", found a list"
            case .alias: return ""
            }
        }
    }
}
