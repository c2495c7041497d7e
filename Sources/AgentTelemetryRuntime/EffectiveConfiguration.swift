import AgentTelemetry

/// Prints a resolved configuration as YAML, with every secret masked.
public enum EffectiveConfiguration {
    /// The effective configuration as YAML, in the file's layout and key names. Tokens,
    /// passwords, header values and credentials in URLs print as `"***"`. Disabled exporters
    /// print `enabled: false` only. Cost: one pass over the settings.
    public static func render(_ c: RuntimeConfiguration) -> String {
        let model = ConfigurationModel(
            service: c.service,
            telemetry: c.telemetry,
            exporters: PluginSections(entries: exporters(c)),
            subscribers: PluginSections(entries: c.subscribers),
            logging: LoggingSection(level: c.logLevel),
            shutdownTimeout: c.shutdownTimeout)
        do {
            return try YAMLTreeEncoder.yaml(model)
        } catch {
            return "# the effective configuration could not be printed: \(error)\n"
        }
    }

    /// Every exporter kind, in kind order: its section, or `enabled: false` when absent.
    static func exporters(_ c: RuntimeConfiguration) -> [ConfiguredPlugin] {
        c.plugins.exporters.map { kind in
            c.exporters.first { $0.key == kind.key } ?? ConfiguredPlugin(kind: kind, enabled: false, settings: nil)
        }
    }
}
