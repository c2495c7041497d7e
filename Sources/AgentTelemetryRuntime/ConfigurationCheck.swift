import Foundation

/// What `check-config` does, as one call for a program that checks its own configuration with
/// its own plug-ins: the same messages and exit codes as `agent-telemetry check-config`.
///
/// ```swift
/// let plugins = TelemetryPlugins.builtIn.adding(exporter: InfluxExporterKind())
/// let check = ConfigurationCheck.run(path: "agent.yaml", plugins: plugins)
/// print(check.standardOutput, terminator: "")
/// FileHandle.standardError.write(Data(check.standardError.utf8))
/// exit(check.exitCode)
/// ```
///
/// A program using swift-argument-parser can mount `CheckConfigCommand` of the
/// `AgentTelemetryCommands` product instead.
public struct ConfigurationCheck: Sendable {
    /// The exit code of an invalid configuration: 2.
    public static let invalidConfigurationExitCode: Int32 = 2

    /// 0 when valid, ``invalidConfigurationExitCode`` when not.
    public var exitCode: Int32
    /// When valid: a first line saying so (a YAML comment, `# <path> is a valid configuration; …`),
    /// then the effective configuration as YAML (environment applied, secrets masked). Empty
    /// otherwise.
    public var standardOutput: String
    /// Notes (`note: …`) when valid; every problem, one per line with its key path and line or
    /// environment variable, when not.
    public var standardError: String
    /// The configuration, when valid.
    public var configuration: RuntimeConfiguration?

    /// Checks `path` with the sections of `plugins` and the variables of `environment`.
    /// Cost: one load of the file (see ``ConfigurationLoader``).
    public static func run(path: String, plugins: TelemetryPlugins = .builtIn,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigurationCheck {
        do {
            let config = try ConfigurationLoader.load(path: path, environment: environment, plugins: plugins)
            let notes = config.notes.map { "note: \($0)\n" }.joined()
            let verdict = "# \(path.filter { !$0.isNewline }) is a valid configuration; in effect (environment applied, secrets masked):\n"
            return ConfigurationCheck(exitCode: 0, standardOutput: verdict + EffectiveConfiguration.render(config),
                                      standardError: notes, configuration: config)
        } catch {
            return ConfigurationCheck(exitCode: invalidConfigurationExitCode, standardOutput: "",
                                      standardError: "\(error)\n", configuration: nil)
        }
    }
}
