import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import ServiceLifecycle

// The one list of the built-in plug-ins, and the only file of the runtime that names a concrete
// exporter type. Each built-in exporter is registered through `TelemetryExporterKind`, exactly as
// a user's exporter is.

extension TelemetryPlugins {
    /// The built-in kinds: exporters `prometheus` (the `/metrics` endpoint and its `textfile:`),
    /// `otlp` and `statsd`; subscriber `audit_log` (``JSONLinesAuditSubscriberKind``).
    public static let builtIn = TelemetryPlugins(
        exporters: [PrometheusExporterKind(), OTLPExporterKind(), StatsDExporterKind()],
        subscribers: [JSONLinesAuditSubscriberKind()])
}

/// `exporters.prometheus`: the `/metrics` endpoint (``PrometheusExporter``) and, with `textfile:`,
/// the textfile writer (``PrometheusTextfileWriter``). Runs unless `enabled: false`.
public struct PrometheusExporterKind: TelemetryExporterKind {
    /// `exporters.prometheus`: the endpoint's keys and `textfile:`, in one mapping.
    public struct Configuration: TelemetryConfigurationSection, Encodable, Equatable {
        /// The endpoint.
        public var endpoint: PrometheusExporterConfiguration
        /// The textfile output, when configured.
        public var textfile: PrometheusTextfileConfiguration?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case textfile
        }

        /// Settings of both parts.
        public init(endpoint: PrometheusExporterConfiguration = .init(), textfile: PrometheusTextfileConfiguration? = nil) {
            self.endpoint = endpoint
            self.textfile = textfile
        }

        /// Decodes the section.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            endpoint = try PrometheusExporterConfiguration(from: decoder)
            textfile = try c.decodeIfPresent(PrometheusTextfileConfiguration.self, forKey: .textfile)
        }

        /// Writes the section.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try endpoint.encode(to: encoder)
            try c.encodeIfPresent(textfile, forKey: .textfile)
        }

        /// The endpoint's problems and the textfile's.
        public func validate() -> [ConfigurationIssue] {
            endpoint.validate() + (textfile?.validate() ?? []).map { $0.prefixed(by: ["textfile"]) }
        }
    }

    /// Creates the kind.
    public init() {}
    /// `prometheus`.
    public var key: String { "prometheus" }
    /// The endpoint runs without a section.
    public var enabledWhenAbsent: Bool { true }
    /// ``PrometheusExporter/selfMetrics`` and the textfile writer's.
    public var selfMetrics: [MetricDescriptor] { PrometheusExporter.selfMetrics + PrometheusTextfileWriter.selfMetrics }

    /// The endpoint, then the textfile writer when configured.
    public func makeServices(configuration: Configuration, context: ExporterContext) throws -> [any Service] {
        var services: [any Service] = [try PrometheusExporter(registry: context.registry, configuration: configuration.endpoint, logger: context.logger)]
        if let textfile = configuration.textfile {
            services.append(try PrometheusTextfileWriter(registry: context.registry, configuration: textfile, logger: context.logger, clock: context.clock))
        }
        return services
    }
}

/// `exporters.otlp`: ``OTLPExporter``, OTLP/HTTP protobuf push. Runs when its section (or an
/// `OTEL_EXPORTER_OTLP_*` variable) is present and not disabled.
public struct OTLPExporterKind: TelemetryExporterKind {
    /// ``OTLPExporterConfiguration``.
    public typealias Configuration = OTLPExporterConfiguration
    /// Creates the kind.
    public init() {}
    /// `otlp`.
    public var key: String { "otlp" }
    /// ``OTLPExporter/selfMetrics``.
    public var selfMetrics: [MetricDescriptor] { OTLPExporter.selfMetrics }

    /// The resource is `service:`.
    public func resolve(_ configuration: inout OTLPExporterConfiguration, service: RuntimeConfiguration.ServiceIdentity) {
        configuration.serviceName = service.name
        configuration.serviceVersion = service.version
        configuration.serviceInstanceID = service.instanceID
        configuration.resourceAttributes = service.attributes
    }

    /// The exporter.
    public func makeServices(configuration: OTLPExporterConfiguration, context: ExporterContext) throws -> [any Service] {
        [try OTLPExporter(registry: context.registry, configuration: configuration, logger: context.logger, clock: context.clock)]
    }
}

/// `exporters.statsd`: ``StatsDExporter``. Runs when its section is present and not disabled.
public struct StatsDExporterKind: TelemetryExporterKind {
    /// ``StatsDConfiguration``.
    public typealias Configuration = StatsDConfiguration
    /// Creates the kind.
    public init() {}
    /// `statsd`.
    public var key: String { "statsd" }
    /// ``StatsDExporter/selfMetrics``.
    public var selfMetrics: [MetricDescriptor] { StatsDExporter.selfMetrics }

    /// The exporter.
    public func makeServices(configuration: StatsDConfiguration, context: ExporterContext) throws -> [any Service] {
        [try StatsDExporter(registry: context.registry, configuration: configuration, logger: context.logger, clock: context.clock)]
    }
}

// MARK: Typed conveniences over `RuntimeConfiguration.settings(of:)`

extension RuntimeConfiguration {
    /// The `/metrics` endpoint's settings, when enabled; nil disables the endpoint (and the textfile).
    public var prometheus: PrometheusExporterConfiguration? {
        get { settings(of: PrometheusExporterKind.self)?.endpoint }
        set {
            let textfile = settings(of: PrometheusExporterKind.self)?.textfile
            setSettings(newValue.map { PrometheusExporterKind.Configuration(endpoint: $0, textfile: textfile) }, of: PrometheusExporterKind())
        }
    }

    /// The textfile output, when configured and Prometheus is enabled.
    public var textfile: PrometheusTextfileConfiguration? {
        get { settings(of: PrometheusExporterKind.self)?.textfile }
        set {
            guard var settings = settings(of: PrometheusExporterKind.self) else { return }
            settings.textfile = newValue
            setSettings(settings, of: PrometheusExporterKind())
        }
    }

    /// The OTLP exporter's settings, when enabled.
    public var otlp: OTLPExporterConfiguration? {
        get { settings(of: OTLPExporterKind.self) }
        set { setSettings(newValue, of: OTLPExporterKind()) }
    }

    /// The StatsD exporter's settings, when enabled.
    public var statsd: StatsDConfiguration? {
        get { settings(of: StatsDExporterKind.self) }
        set { setSettings(newValue, of: StatsDExporterKind()) }
    }
}
