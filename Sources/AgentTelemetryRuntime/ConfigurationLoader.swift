import AgentTelemetry
import Foundation
import Logging
import Yams

/// Loads the YAML configuration, applies environment overrides, and validates everything,
/// reporting every problem at once with its key path and the file line or variable it came from.
///
/// One model: each part's configuration type decodes its own section and states each limit once
/// (`validate()`); the file, the environment and the printed effective configuration all go
/// through those types. Precedence, lowest to highest: built-in defaults, the file, the
/// OpenTelemetry variables (`OTEL_*`, see the table in `OpenTelemetryEnvironment`), then
/// `AGENT_TELEMETRY_*` variables, named by one rule for every scalar key (see
/// ``AgentTelemetryEnvironment``): `AGENT_TELEMETRY_` + the key path without a leading
/// `exporters`, joined by `_`, upper-cased (`exporters.prometheus.port` →
/// `AGENT_TELEMETRY_PROMETHEUS_PORT`).
///
/// Cost: linear in the size of the file and of the environment (100,000 attributes load in well
/// under a second).
public enum ConfigurationLoader {
    /// The largest configuration file read: 1 MiB. The shipped file is 5 KB; a file of 50 MB
    /// (2 million keys) took 39 s and 1.5 GB to load before this bound. Larger price tables go
    /// in their own file (``PriceTableFile/maximumFileBytes``).
    public static let maximumFileBytes = 1024 * 1024

    /// Loads `path` (or only defaults and environment when `nil`), knowing the sections of
    /// `plugins` (the built-ins unless a program adds its own).
    ///
    /// Only a regular UTF-8 file is read: a directory, a device (`/dev/zero`), a FIFO, a file
    /// larger than ``maximumFileBytes`` or one that is not UTF-8 is refused with a sentence
    /// saying so. An empty file is valid and means every default (said in ``RuntimeConfiguration/notes``).
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            plugins: TelemetryPlugins = .builtIn) throws(ConfigurationIssues) -> RuntimeConfiguration {
        guard let path else { return try load(yaml: "", source: "defaults", environment: environment, plugins: plugins) }
        func refuse(_ message: String, line: Int? = nil) -> ConfigurationIssues {
            ConfigurationIssues([ConfigurationIssue([], message, location: line.map { "\(path):\($0)" } ?? path)])
        }
        var bytes: [UInt8]
        switch ConfigurationFile.contents(of: path, limit: maximumFileBytes) {
        case .success(let b): bytes = b
        case .failure(.directory):
            throw refuse("cannot read the configuration file: it is a directory; give the path of a YAML file (e.g. \(path)/agent-telemetry.yaml)")
        case .failure(.notRegular(let kind)):
            throw refuse("cannot read the configuration file: it is a \(kind), not a regular file; give the path of a YAML file")
        case .failure(.tooLarge(let limit)):
            throw refuse("the configuration file is larger than \(limit / (1024 * 1024)) MiB; this is not a configuration")
        case .failure(.unreadable(let reason)):
            throw refuse("cannot read the configuration file: \(reason)")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(bytes)
            throw refuse("the configuration file is not UTF-8 text (the first invalid byte is at line \(line), column \(column)); save it as UTF-8", line: line)
        }
        return try load(yaml: text, source: path, environment: environment, plugins: plugins)
    }

    /// Loads configuration text; `source` names it in messages (`source:line`).
    public static func load(yaml: String, source: String, environment: [String: String] = [:],
                            plugins: TelemetryPlugins = .builtIn) throws(ConfigurationIssues) -> RuntimeConfiguration {
        var notes: [String] = []
        let root: Node?
        do {
            // The basic resolver: scalars are read as text and typed by the sections, so no
            // regular expression runs per scalar.
            root = try Yams.compose(yaml: yaml, .basic)
        } catch {
            throw ConfigurationIssues([syntaxProblem(error, source: source)])
        }
        var mapping: Node?
        switch root {
        case nil:
            if source != "defaults" { notes.append("\(source) has no settings (it is empty or only comments): every setting has its default value") }
        case .some(let node) where node.isNull:
            if source != "defaults" { notes.append("\(source) has no settings (its document is empty): every setting has its default value") }
        case .some(let node):
            guard case .mapping = node else {
                throw ConfigurationIssues([ConfigurationIssue([], "the file must be a mapping of sections (service:, metrics:, budgets:, bus:, exporters:, subscribers:, logging:), found \(node.foundDescription)", location: node.mark.map { "\(source):\($0.line)" } ?? source)])
            }
            mapping = node
        }

        let fileOTLP: Node.Mapping? = {
            guard case .mapping(let m)? = mapping, case .mapping(let e)? = m["exporters"], case .mapping(let o)? = e["otlp"] else { return nil }
            return o
        }()
        let fileSetsOTLPEnabled = fileOTLP?["enabled"].map { !$0.isNull } ?? false
        let (otel, otelIssues) = OpenTelemetryEnvironment.read(environment, fileHasOTLP: fileOTLP != nil, fileSetsOTLPEnabled: fileSetsOTLPEnabled)
        let (own, ownIssues) = AgentTelemetryEnvironment.read(environment, plugins: plugins)

        let decoding = ConfigurationDecoding(root: mapping, overrides: otel.overlaid(with: own), plugins: plugins)
        var model = decoding.decodeRoot(ConfigurationModel.self)
        decoding.recordUnknownKeys()
        var issues = decoding.issues + otelIssues
        if let m = model {
            for issue in m.validate() {
                issues.append(LocatedIssue(path: issue.keyPath, message: issue.message, origin: decoding.origin(of: issue.keyPath)))
            }
            // Without `price_table`, the built-in dated table (so a copied file needs no other file).
            if m.telemetry.standardMetrics.priceTablePath == nil {
                model?.telemetry.standardMetrics.priceSchedule = PriceTableFile.builtIn
            }
            if let tablePath = m.telemetry.standardMetrics.priceTablePath {
                let keyPath = ["metrics", "price_table"]
                let resolved = resolve(tablePath, against: source)
                do {
                    model?.telemetry.standardMetrics.priceSchedule = try PriceTableFile.load(path: resolved)
                } catch {
                    for problem in error.issues {
                        issues.append(LocatedIssue(path: keyPath, message: "in the price table: \(problem)", origin: decoding.origin(of: keyPath)))
                    }
                }
            }
        }
        if let m = model {
            // USD budgets against the prices in force (the table is loaded above).
            let prices = m.telemetry.standardMetrics.effectivePrices
            for issue in Budget.priceIssues(m.telemetry.budgets, prices: prices) {
                issues.append(LocatedIssue(path: issue.keyPath, message: issue.message, origin: decoding.origin(of: issue.keyPath)))
            }
        }
        issues += ownIssues
        guard let model, issues.isEmpty else { throw ConfigurationIssues(problems(issues, source: source)) }
        return runtimeConfiguration(model, plugins: plugins, notes: notes)
    }

    /// The parts' settings from the decoded file; each exporter kind completes its own from the
    /// rest (`resolve`).
    static func runtimeConfiguration(_ model: ConfigurationModel, plugins: TelemetryPlugins, notes: [String]) -> RuntimeConfiguration {
        let service = model.service
        let exporters = model.exporters.entries.map { entry in
            (entry.kind as? any TelemetryExporterKind)?.resolved(entry, service: service) ?? entry
        }
        return RuntimeConfiguration(
            service: service, telemetry: model.telemetry, plugins: plugins,
            exporters: exporters, subscribers: model.subscribers.entries, logLevel: model.logging.level,
            shutdownTimeout: model.shutdownTimeout, notes: notes)
    }

    /// `path` as given when absolute, else relative to the directory of the configuration file
    /// `source` (so a configuration and its price table move together).
    static func resolve(_ path: String, against source: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = URL(fileURLWithPath: source).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: source) else { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    /// Issues as problems: those of the file in line order, then the environment's, then the rest.
    static func problems(_ issues: [LocatedIssue], source: String) -> [ConfigurationIssue] {
        func rank(_ o: LocatedIssue.Origin) -> (Int, Int) {
            switch o {
            case .file(let line): (0, line)
            case .environment: (1, 0)
            case .none: (2, 0)
            }
        }
        let ordered = issues.enumerated().sorted { a, b in
            let (ra, rb) = (rank(a.element.origin), rank(b.element.origin))
            return ra != rb ? ra < rb : a.offset < b.offset
        }
        return ordered.map { item in
            let issue = item.element
            let location: String? = switch issue.origin {
            case .file(let line): "\(source):\(line)"
            case .environment(let variable): "environment variable \(variable)"
            case .none: nil
            }
            return ConfigurationIssue(issue.path, issue.message, location: location)
        }
    }

    /// A YAML syntax error as line, column and the parser's problem only: the offending line is
    /// never repeated (it may hold a token).
    static func syntaxProblem(_ error: any Error, source: String) -> ConfigurationIssue {
        guard let yamlError = error as? YamlError else {
            return ConfigurationIssue([], "not valid YAML", location: source)
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) started at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return ConfigurationIssue([], "not valid YAML: \(problem) at line \(mark.line), column \(mark.column)\(while_)", location: "\(source):\(mark.line)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map(ConfigurationText.quotedForMessage).joined(separator: ", ")
            return ConfigurationIssue([], "not valid YAML: a mapping has the key \(keys) more than once", location: "\(source):\(context.mark.line)")
        case let .reader(problem, _, _, _):
            return ConfigurationIssue([], "not valid YAML: \(problem)", location: source)
        default:
            return ConfigurationIssue([], "not valid YAML", location: source)
        }
    }

    /// The line and column (1-based, in bytes) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                let width = UTF8.width(scalar)
                if scalar == "\n" { line += 1; lineStart = offset + 1 }
                offset += width
            case .emptyInput:
                return (line, offset - lineStart + 1)
            case .error:
                return (line, offset - lineStart + 1)
            }
        }
    }
}
