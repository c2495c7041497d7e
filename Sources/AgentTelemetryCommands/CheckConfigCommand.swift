import AgentTelemetryRuntime
import ArgumentParser
import Foundation

/// The plug-ins a program's configuration may name, as a type, so that a command can be
/// generic over them (swift-argument-parser builds commands from types).
///
/// ```swift
/// enum MyPlugins: TelemetryPluginSet {
///     static var plugins: TelemetryPlugins { .builtIn.adding(exporter: InfluxExporterKind()) }
/// }
/// ```
public protocol TelemetryPluginSet {
    /// The kinds.
    static var plugins: TelemetryPlugins { get }
}

/// The built-in kinds only.
public enum BuiltInPluginSet: TelemetryPluginSet {
    /// ``TelemetryPlugins/builtIn``.
    public static var plugins: TelemetryPlugins { .builtIn }
}

/// `check-config FILE`, mountable in any swift-argument-parser program: validates a configuration
/// with the program's plug-ins and prints the effective one, with the messages and exit codes of
/// `agent-telemetry check-config` (0 valid, 2 invalid). Mount it as a subcommand:
///
/// ```swift
/// @main struct MyAgent: AsyncParsableCommand {
///     static let configuration = CommandConfiguration(subcommands: [CheckConfigCommand<MyPlugins>.self, Run.self])
/// }
/// ```
public struct CheckConfigCommand<Plugins: TelemetryPluginSet>: ParsableCommand {
    /// `check-config`.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "check-config",
            abstract: "Validate a configuration file and print the effective configuration (environment applied, secrets masked).",
            discussion: """
                Exits 0 when valid, 2 when invalid. Every problem is reported in one run, each on standard error \
                with its key path and its line or environment variable: unknown keys, wrong types and values \
                out of range alike. Notes (e.g. that an empty file means every default) go to standard error too.
                """)
    }

    /// The YAML configuration file.
    @Argument(help: "The YAML configuration file.")
    public var file: String

    /// For swift-argument-parser.
    public init() {}

    /// Prints the outcome of ``ConfigurationCheck/run(path:plugins:environment:)`` and exits with its code.
    public func run() throws {
        let check = ConfigurationCheck.run(path: file, plugins: Plugins.plugins)
        FileHandle.standardError.write(Data(check.standardError.utf8))
        FileHandle.standardOutput.write(Data(check.standardOutput.utf8))
        if check.exitCode != 0 { throw ExitCode(check.exitCode) }
    }
}
