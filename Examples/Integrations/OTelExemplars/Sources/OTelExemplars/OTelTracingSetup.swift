import Logging
public import OTel
public import ServiceLifecycle

/// How an application turns on swift-otel's tracer next to AgentTelemetry.
///
/// Nothing in AgentTelemetry names swift-otel: once `OTel.bootstrap` has installed its tracer as
/// the process's `InstrumentationSystem` instrument, `Telemetry.emit` (through the default
/// `ContextExemplarSource`) finds the span current in the emitting task by asking that tracer to
/// inject the task's context, and the standard metrics keep its trace and span ids as exemplars.
public enum OTelTracingSetup {
    /// The swift-otel configuration this example bootstraps: traces on, sampled by the default
    /// parent-based always-on sampler and propagated as W3C Trace Context; metrics and logs off
    /// (AgentTelemetry owns the metrics, the application its logging).
    ///
    /// Spans stay in the process (exporter `none`): the example needs no collector. An application
    /// that ships its spans sets `traces.exporter = .otlp` (this package builds swift-otel with its
    /// `OTLPHTTP` trait; `OTLPGRPC` is the other choice); exemplars work the same either way, since
    /// they depend only on the span context and the W3C propagator.
    ///
    /// - Parameters:
    ///   - serviceName: the `service.name` resource attribute of the spans.
    ///   - diagnosticLogLevel: how much swift-otel says about itself on the console.
    public static func configuration(
        serviceName: String,
        diagnosticLogLevel: OTel.Configuration.LogLevel = .warning
    ) -> OTel.Configuration {
        var config = OTel.Configuration.default
        config.serviceName = serviceName
        config.diagnosticLogLevel = diagnosticLogLevel
        config.propagators = [.traceContext]
        config.traces.enabled = true
        config.traces.sampler = .parentBasedAlwaysOn
        config.traces.exporter = .none
        config.metrics.enabled = false
        config.logs.enabled = false
        return config
    }

    /// Bootstraps swift-otel's tracer as the process's `InstrumentationSystem` instrument and
    /// returns the service that runs its span processing; run it in the application's
    /// `ServiceGroup` (see ``runServices(otel:telemetry:logger:isolation:_:)``).
    ///
    /// Call it once per process: swift-otel, like `InstrumentationSystem`, stops the process on a
    /// second bootstrap.
    ///
    /// - Parameters:
    ///   - configuration: the swift-otel settings, ``configuration(serviceName:diagnosticLogLevel:)``
    ///     by default.
    ///   - environment: the `OTEL_*` variables swift-otel applies over `configuration`. Empty by
    ///     default, so that the example behaves the same whatever the shell exports (an
    ///     `OTEL_TRACES_EXPORTER=otlp` would start exporting to a collector that is not there, an
    ///     `OTEL_PROPAGATORS=b3` would stop the process). An application passes
    ///     `ProcessInfo.processInfo.environment`, as `OTel.bootstrap(configuration:)` does.
    /// - Throws: swift-otel's configuration errors.
    public static func bootstrap(
        configuration: OTel.Configuration = Self.configuration(serviceName: "otel-exemplars"),
        environment: [String: String] = [:]
    ) throws -> some Service {
        try OTel.bootstrap(configuration: configuration, environment: environment)
    }
}
