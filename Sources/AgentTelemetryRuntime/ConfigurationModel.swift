import AgentTelemetry
import Foundation
import Logging

/// The whole configuration file, made of the sections each part declares: decoded by the one
/// lenient decoder, validated section by section, printed by the one encoder.
///
///     service:          RuntimeConfiguration.ServiceIdentity
///     metrics:, bus:    TelemetryConfiguration (core), read from the top-level mapping
///     exporters:        one section per exporter kind (`TelemetryPlugins.exporters`)
///     subscribers:      one section per subscriber kind (`TelemetryPlugins.subscribers`)
///     logging:          LoggingSection
///     shutdown_timeout: a duration
struct ConfigurationModel: Codable {
    var service: RuntimeConfiguration.ServiceIdentity
    var telemetry: TelemetryConfiguration
    var exporters: PluginSections<ExporterRole>
    var subscribers: PluginSections<SubscriberRole>
    var logging: LoggingSection
    var shutdownTimeout: Duration

    enum CodingKeys: String, CodingKey, CaseIterable {
        case service, exporters, subscribers, logging
        case shutdownTimeout = "shutdown_timeout"
    }

    init(service: RuntimeConfiguration.ServiceIdentity, telemetry: TelemetryConfiguration, exporters: PluginSections<ExporterRole>,
         subscribers: PluginSections<SubscriberRole>, logging: LoggingSection, shutdownTimeout: Duration) {
        self.service = service
        self.telemetry = telemetry
        self.exporters = exporters
        self.subscribers = subscribers
        self.logging = logging
        self.shutdownTimeout = shutdownTimeout
    }

    init(from decoder: any Decoder) throws {
        let plugins = (decoder as? ConfigurationDecoder)?.session.plugins ?? .builtIn
        let c = try decoder.container(keyedBy: CodingKeys.self)
        service = try c.decodeIfPresent(RuntimeConfiguration.ServiceIdentity.self, forKey: .service) ?? .init()
        // `metrics:` and `bus:` sit beside our keys in the same mapping.
        telemetry = try TelemetryConfiguration(from: decoder)
        // Views may name the exporters' and the swift-metrics bridge's own metrics too.
        telemetry.additionalMetrics = TelemetryCatalog.componentMetrics(plugins)
        // Without an `exporters:` section, the exporters that run without one still do.
        exporters = try c.decodeIfPresent(PluginSections<ExporterRole>.self, forKey: .exporters)
            ?? (try? PluginSections(from: c.superDecoder(forKey: .exporters))) ?? PluginSections(entries: [])
        subscribers = try c.decodeIfPresent(PluginSections<SubscriberRole>.self, forKey: .subscribers) ?? PluginSections(entries: [])
        logging = try c.decodeIfPresent(LoggingSection.self, forKey: .logging) ?? .init()
        shutdownTimeout = try c.decodeDurationIfPresent(forKey: .shutdownTimeout) ?? RuntimeConfiguration.defaultShutdownTimeout
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(service, forKey: .service)
        try telemetry.encode(to: encoder)
        try c.encode(exporters, forKey: .exporters)
        if !subscribers.entries.isEmpty { try c.encode(subscribers, forKey: .subscribers) }
        try c.encode(logging, forKey: .logging)
        try c.encodeDuration(shutdownTimeout, forKey: .shutdownTimeout)
    }

    /// Every problem of every section, with key paths from the top of the file.
    func validate() -> [ConfigurationIssue] {
        var issues = service.validate().map { $0.prefixed(by: ["service"]) }
        issues += telemetry.validate()
        issues += exporters.validate().map { $0.prefixed(by: ["exporters"]) }
        issues += subscribers.validate().map { $0.prefixed(by: ["subscribers"]) }
        if shutdownTimeout <= .zero || shutdownTimeout > RuntimeConfiguration.maximumShutdownTimeout {
            issues.append(ConfigurationIssue(["shutdown_timeout"], "\(ConfigDuration(shutdownTimeout)) must be positive and at most \(ConfigDuration(RuntimeConfiguration.maximumShutdownTimeout))"))
        }
        return issues
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
