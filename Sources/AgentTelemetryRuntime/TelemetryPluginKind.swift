import AgentTelemetry
import Logging
import ServiceLifecycle

/// What every plug-in kind (an exporter or a subscriber) declares: the key of its section and the
/// type its section decodes to.
///
/// The section is read by the configuration's one lenient decoder, so a plug-in's section gets
/// what the built-in ones get: unknown keys reported with their line and a "did you mean", wrong
/// types and out-of-range values (from ``TelemetryConfigurationSection/validate()``) reported with
/// their key path and line, all at once; an `AGENT_TELEMETRY_<KEY>_<SETTING>` variable for every
/// scalar key; and the section printed by `check-config`. Write `Configuration` with every key
/// optional (defaults for what is absent), decoding through `KeyedDecodingContainer` and encoding
/// the same key names; write a secret as `encoder.printable(secret:)`, which is `"***"` in the
/// printed configuration and the secret in any other encoding (credentials in URLs are masked in
/// the printout for you).
public protocol TelemetryPluginKind: Sendable {
    /// The settings read from the section.
    associatedtype Configuration: TelemetryConfigurationSection & Encodable

    /// The section's key: `exporters.<key>` or `subscribers.<key>`, snake_case.
    var key: String { get }
}

/// What an exporter is built from: the registry it exports, and the runtime's logger, clock and
/// service identity (the OTLP resource).
public struct ExporterContext: Sendable {
    /// The registry to export.
    public let registry: MetricRegistry
    /// The runtime's logger (its level set from `logging.level`).
    public let logger: Logger
    /// The clock for interval work (``PeriodicRunner``); a manual clock in tests.
    public let clock: TelemetryClock
    /// `service:` of the configuration.
    public let service: RuntimeConfiguration.ServiceIdentity

    /// Creates a context (the runtime makes one per build; tests may make their own).
    public init(registry: MetricRegistry, logger: Logger, clock: TelemetryClock, service: RuntimeConfiguration.ServiceIdentity) {
        self.registry = registry
        self.logger = logger
        self.clock = clock
        self.service = service
    }
}

/// An exporter kind: a plug-in chosen under `exporters:` in the configuration, the way the
/// built-in Prometheus endpoint, textfile writer, OTLP and StatsD exporters are.
///
/// ```swift
/// struct InfluxExporterKind: TelemetryExporterKind {
///     var key: String { "influxdb" }
///     var selfMetrics: [MetricDescriptor] { [] }
///     func makeServices(configuration: InfluxConfiguration, context: ExporterContext) throws -> [any Service] {
///         [InfluxExporter(registry: context.registry, configuration: configuration, logger: context.logger, clock: context.clock)]
///     }
/// }
/// let plugins = TelemetryPlugins.builtIn.adding(exporter: InfluxExporterKind())
/// let config = try ConfigurationLoader.load(path: "agent.yaml", plugins: plugins)
/// ```
///
/// The failure policy is the same for every exporter (docs/ARCHITECTURE.md, "Exporter failure
/// policy"): what `validate()` reports is a configuration problem found before anything starts
/// (`check-config` exits 2, `TelemetryRuntime.bootstrap` throws); `makeServices` may throw only
/// for what cannot be known before (it then fails the bootstrap too); a failure while running is
/// logged rate-limited, counted in the exporter's own metrics, retried at its next run, and never
/// ends `run()` (only a failure to start, such as a port in use, may).
public protocol TelemetryExporterKind: TelemetryPluginKind {
    /// Whether the exporter runs when the file has no section for it (the Prometheus endpoint
    /// does; the default, false, needs a section or an environment variable of the section).
    var enabledWhenAbsent: Bool { get }
    /// The exporter's own metrics (health, traffic): in the catalog, and nameable in views.
    var selfMetrics: [MetricDescriptor] { get }
    /// Completes the settings from the rest of the configuration once it is read (the OTLP
    /// exporter takes its resource from `service:`). The default does nothing.
    func resolve(_ configuration: inout Configuration, service: RuntimeConfiguration.ServiceIdentity)
    /// The services that export (one, or more for a section that configures several). Nothing
    /// may start here: the services start in the runtime's `run()`.
    func makeServices(configuration: Configuration, context: ExporterContext) throws -> [any Service]
}

extension TelemetryExporterKind {
    /// Only with a section of its own.
    public var enabledWhenAbsent: Bool { false }
    /// Nothing to complete.
    public func resolve(_ configuration: inout Configuration, service: RuntimeConfiguration.ServiceIdentity) {}
}

/// What a subscriber is built from.
public struct SubscriberContext: Sendable {
    /// The runtime's logger.
    public let logger: Logger
    /// `service:` of the configuration.
    public let service: RuntimeConfiguration.ServiceIdentity

    /// Creates a context.
    public init(logger: Logger, service: RuntimeConfiguration.ServiceIdentity) {
        self.logger = logger
        self.service = service
    }
}

/// A subscriber kind: a plug-in enabled and parameterised under `subscribers:` in the
/// configuration (``JSONLinesAuditSubscriberKind`` is the one shipped). Subscribers added in code
/// with `Telemetry.subscribe` work as before, beside these.
///
/// A subscriber that throws while handling an event is counted
/// (`agent_telemetry_subscriber_errors_total`), logged rate-limited, and keeps receiving.
public protocol TelemetrySubscriberKind: TelemetryPluginKind {
    /// The subscriber and the events it receives. Throwing here (a file that cannot be opened)
    /// fails the bootstrap.
    func makeSubscriber(configuration: Configuration, context: SubscriberContext) throws -> (any TelemetrySubscriber, EventFilter)
}

extension TelemetryExporterKind {
    /// `entry` with its settings completed by ``resolve(_:service:)``.
    func resolved(_ entry: ConfiguredPlugin, service: RuntimeConfiguration.ServiceIdentity) -> ConfiguredPlugin {
        guard var settings = entry.settings as? Configuration else { return entry }
        resolve(&settings, service: service)
        var copy = entry
        copy.settings = settings
        return copy
    }

    /// The services of `entry`, when it is enabled.
    func services(for entry: ConfiguredPlugin, context: ExporterContext) throws -> [any Service] {
        guard entry.enabled, let settings = entry.settings as? Configuration else { return [] }
        return try makeServices(configuration: settings, context: context)
    }
}

extension TelemetrySubscriberKind {
    /// The subscriber of `entry`, when it is enabled.
    func subscriber(for entry: ConfiguredPlugin, context: SubscriberContext) throws -> (any TelemetrySubscriber, EventFilter)? {
        guard entry.enabled, let settings = entry.settings as? Configuration else { return nil }
        return try makeSubscriber(configuration: settings, context: context)
    }
}
