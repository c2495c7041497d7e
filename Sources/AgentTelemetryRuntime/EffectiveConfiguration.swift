import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD

/// Prints a resolved configuration as YAML, with every secret masked.
public enum EffectiveConfiguration {
    /// The effective configuration as YAML, in the file's layout and key names. Tokens,
    /// passwords, header values and credentials in URLs print as `"***"`. Disabled exporters
    /// print `enabled: false` only. Cost: one pass over the settings.
    public static func render(_ c: RuntimeConfiguration) -> String {
        let model = ConfigurationModel(
            service: c.service,
            telemetry: c.telemetry,
            exporters: exporters(c),
            logging: LoggingSection(level: c.logLevel),
            shutdownTimeout: c.shutdownTimeout)
        do {
            return try YAMLTreeEncoder.yaml(model)
        } catch {
            return "# the effective configuration could not be printed: \(error)\n"
        }
    }

    static func exporters(_ c: RuntimeConfiguration) -> ExportersSection {
        var e = ExportersSection()
        e.prometheus = PrometheusSection(enabled: c.prometheus != nil, settings: c.prometheus, textfile: c.prometheus == nil ? nil : c.textfile)
        e.otlp = ExporterSection(enabled: c.otlp != nil, settings: c.otlp)
        e.statsd = ExporterSection(enabled: c.statsd != nil, settings: c.statsd)
        return e
    }
}
