import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import Foundation
import Logging

/// The whole configuration file, made of the sections each part declares: decoded by the one
/// lenient decoder, validated section by section, printed by the one encoder.
///
///     service:          RuntimeConfiguration.ServiceIdentity
///     metrics:, bus:    TelemetryConfiguration (core), read from the top-level mapping
///     exporters:
///       prometheus:     enabled + PrometheusExporterConfiguration + textfile: PrometheusTextfileConfiguration
///       otlp:           enabled + OTLPExporterConfiguration
///       statsd:         enabled + StatsDConfiguration
///     logging:          LoggingSection
///     shutdown_timeout: a duration
struct ConfigurationModel: Codable {
    var service: RuntimeConfiguration.ServiceIdentity
    var telemetry: TelemetryConfiguration
    var exporters: ExportersSection
    var logging: LoggingSection
    var shutdownTimeout: Duration

    enum CodingKeys: String, CodingKey, CaseIterable {
        case service, exporters, logging
        case shutdownTimeout = "shutdown_timeout"
    }

    init(service: RuntimeConfiguration.ServiceIdentity, telemetry: TelemetryConfiguration, exporters: ExportersSection,
         logging: LoggingSection, shutdownTimeout: Duration) {
        self.service = service
        self.telemetry = telemetry
        self.exporters = exporters
        self.logging = logging
        self.shutdownTimeout = shutdownTimeout
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        service = try c.decodeIfPresent(RuntimeConfiguration.ServiceIdentity.self, forKey: .service) ?? .init()
        // `metrics:` and `bus:` sit beside our keys in the same mapping.
        telemetry = try TelemetryConfiguration(from: decoder)
        // Views may name the exporters' and the swift-metrics bridge's own metrics too.
        telemetry.additionalMetrics = Array(TelemetryCatalog.all.dropFirst(MetricCatalog.all.count))
        exporters = try c.decodeIfPresent(ExportersSection.self, forKey: .exporters) ?? .init()
        logging = try c.decodeIfPresent(LoggingSection.self, forKey: .logging) ?? .init()
        shutdownTimeout = try c.decodeDurationIfPresent(forKey: .shutdownTimeout) ?? RuntimeConfiguration.defaultShutdownTimeout
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(service, forKey: .service)
        try telemetry.encode(to: encoder)
        try c.encode(exporters, forKey: .exporters)
        try c.encode(logging, forKey: .logging)
        try c.encodeDuration(shutdownTimeout, forKey: .shutdownTimeout)
    }

    /// Every problem of every section, with key paths from the top of the file.
    func validate() -> [ConfigurationIssue] {
        var issues = service.validate().map { $0.prefixed(by: ["service"]) }
        issues += telemetry.validate()
        issues += exporters.validate().map { $0.prefixed(by: ["exporters"]) }
        if shutdownTimeout <= .zero || shutdownTimeout > RuntimeConfiguration.maximumShutdownTimeout {
            issues.append(ConfigurationIssue(["shutdown_timeout"], "\(ConfigDuration(shutdownTimeout)) must be positive and at most \(ConfigDuration(RuntimeConfiguration.maximumShutdownTimeout))"))
        }
        return issues
    }
}

/// `exporters:`. Prometheus runs unless disabled; OTLP and StatsD run when their section is
/// present (in the file or the environment) and not disabled. Every present section is
/// validated, enabled or not: a disabled section with a mistake fails the day it is enabled.
struct ExportersSection: Codable {
    var prometheus = PrometheusSection()
    var otlp: ExporterSection<OTLPExporterConfiguration>?
    var statsd: ExporterSection<StatsDConfiguration>?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case prometheus, otlp, statsd
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        prometheus = try c.decodeIfPresent(PrometheusSection.self, forKey: .prometheus) ?? prometheus
        otlp = try c.decodeIfPresent(ExporterSection<OTLPExporterConfiguration>.self, forKey: .otlp)
        statsd = try c.decodeIfPresent(ExporterSection<StatsDConfiguration>.self, forKey: .statsd)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(prometheus, forKey: .prometheus)
        try c.encode(otlp ?? ExporterSection(enabled: false, settings: nil), forKey: .otlp)
        try c.encode(statsd ?? ExporterSection(enabled: false, settings: nil), forKey: .statsd)
    }

    func validate() -> [ConfigurationIssue] {
        var issues = prometheus.validate().map { $0.prefixed(by: ["prometheus"]) }
        issues += (otlp?.validate() ?? []).map { $0.prefixed(by: ["otlp"]) }
        issues += (statsd?.validate() ?? []).map { $0.prefixed(by: ["statsd"]) }
        return issues
    }
}

/// An exporter's section: `enabled` beside the exporter's own keys, in one mapping.
struct ExporterSection<Settings: TelemetryConfigurationSection & Encodable>: Codable {
    var enabled: Bool
    /// The settings; nil only when printing a disabled exporter.
    var settings: Settings?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
    }

    init(enabled: Bool, settings: Settings?) {
        self.enabled = enabled
        self.settings = settings
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        settings = try Settings(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(enabled, forKey: .enabled)
        try settings?.encode(to: encoder)
    }

    func validate() -> [ConfigurationIssue] { settings?.validate() ?? [] }
}

/// `exporters.prometheus`: `enabled`, the endpoint's keys and `textfile:`, in one mapping.
struct PrometheusSection: Codable {
    var enabled = true
    var settings: PrometheusExporterConfiguration? = PrometheusExporterConfiguration()
    var textfile: PrometheusTextfileConfiguration?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, textfile
    }

    init(enabled: Bool = true, settings: PrometheusExporterConfiguration? = .init(), textfile: PrometheusTextfileConfiguration? = nil) {
        self.enabled = enabled
        self.settings = settings
        self.textfile = textfile
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        settings = try PrometheusExporterConfiguration(from: decoder)
        textfile = try c.decodeIfPresent(PrometheusTextfileConfiguration.self, forKey: .textfile)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(enabled, forKey: .enabled)
        try settings?.encode(to: encoder)
        try c.encodeIfPresent(textfile, forKey: .textfile)
    }

    func validate() -> [ConfigurationIssue] {
        (settings?.validate() ?? []) + (textfile?.validate() ?? []).map { $0.prefixed(by: ["textfile"]) }
    }
}

/// `logging:`.
struct LoggingSection: Codable {
    var level: Logger.Level = .info

    enum CodingKeys: String, CodingKey, CaseIterable {
        case level
    }

    /// The words of `level`.
    struct LevelChoice: ConfigurationChoice {
        var level: Logger.Level
        static var spellings: [(name: String, value: LevelChoice)] { Logger.Level.allCases.map { ($0.rawValue, LevelChoice(level: $0)) } }
    }

    init(level: Logger.Level = .info) { self.level = level }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decodeChoiceIfPresent(LevelChoice.self, forKey: .level)?.level ?? level
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeChoice(LevelChoice(level: level), forKey: .level)
    }
}

/// `service:` — the OTLP resource: `name`, `version`, `instance_id`, `attributes`.
extension RuntimeConfiguration.ServiceIdentity: TelemetryConfigurationSection, Encodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version
        case instanceID = "instance_id"
        case attributes
    }

    /// The defaults: name `agent`, a random instance id, no version or attributes.
    init() { self.init(name: "agent", version: nil, instanceID: RandomIdentifier.make(), attributes: [:]) }

    /// Decodes the section; the name defaults to `agent`, the instance id to a random UUID.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name) ?? "agent",
                  version: try c.decodeIfPresent(String.self, forKey: .version),
                  instanceID: try c.decodeIfPresent(String.self, forKey: .instanceID) ?? RandomIdentifier.make(),
                  attributes: try c.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:])
    }

    /// Writes the section as the file spells it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encode(instanceID, forKey: .instanceID)
        if !attributes.isEmpty { try c.encode(attributes, forKey: .attributes) }
    }

    /// The name must not be empty.
    public func validate() -> [ConfigurationIssue] {
        name.isEmpty ? [ConfigurationIssue(["name"], "must not be empty")] : []
    }
}

/// Random identifiers for `service.instance_id`.
enum RandomIdentifier {
    static func make() -> String { UUID().uuidString.lowercased() }
}
