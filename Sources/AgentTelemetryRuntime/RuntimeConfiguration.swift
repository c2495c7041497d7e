import AgentTelemetry
import Logging

/// The effective configuration: file, environment and defaults resolved into the settings
/// of each part.
public struct RuntimeConfiguration: Sendable {
    /// Service name, version, instance id and attributes (the OTLP resource).
    public var service: ServiceIdentity
    /// Bus, registry and standard-metrics settings.
    public var telemetry: TelemetryConfiguration
    /// The kinds the configuration was read with.
    public var plugins: TelemetryPlugins
    /// The exporters' sections, in kind order: those present in the file or the environment, and
    /// those that run without one. Typed: ``settings(of:)``.
    public var exporters: [ConfiguredPlugin]
    /// The subscribers' sections, in kind order.
    public var subscribers: [ConfiguredPlugin]
    /// Log level.
    public var logLevel: Logger.Level
    /// The bound of a whole stop: producers, the bus drain and the exporters' final runs
    /// (`shutdown_timeout`; default 10 s, at most ``maximumShutdownTimeout``).
    public var shutdownTimeout: Duration
    /// Remarks about the configuration that are not errors, for a person to read (e.g. that an
    /// empty file means every default).
    public var notes: [String]

    /// `shutdown_timeout` when the file does not set it.
    public static let defaultShutdownTimeout: Duration = .seconds(10)
    /// The largest accepted `shutdown_timeout`.
    public static let maximumShutdownTimeout: Duration = .seconds(600)

    /// The settings of the plug-in of `kind`'s type when it is enabled; nil when it is disabled
    /// or absent. Setting nil disables it; setting a value enables it.
    public func settings<Kind: TelemetryPluginKind>(of kind: Kind.Type) -> Kind.Configuration? {
        let entries = kind is any TelemetrySubscriberKind.Type ? subscribers : exporters
        guard let entry = entries.first(where: { $0.kind is Kind }), entry.enabled else { return nil }
        return entry.settings as? Kind.Configuration
    }

    /// Enables the plug-in `kind` with `settings`, or disables it (nil).
    public mutating func setSettings<Kind: TelemetryPluginKind>(_ settings: Kind.Configuration?, of kind: Kind) {
        let entry = ConfiguredPlugin(kind: kind, enabled: settings != nil, settings: settings)
        if kind is any TelemetrySubscriberKind {
            Self.replace(&subscribers, with: entry)
        } else {
            Self.replace(&exporters, with: entry)
        }
    }

    private static func replace(_ entries: inout [ConfiguredPlugin], with entry: ConfiguredPlugin) {
        if let i = entries.firstIndex(where: { $0.key == entry.key }) { entries[i] = entry } else { entries.append(entry) }
    }

    /// The service's identity.
    public struct ServiceIdentity: Sendable, Hashable {
        /// `service.name`.
        public var name: String
        /// `service.version`.
        public var version: String?
        /// `service.instance.id`.
        public var instanceID: String
        /// Other resource attributes.
        public var attributes: [String: String]
    }
}
