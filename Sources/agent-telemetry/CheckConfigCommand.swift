import AgentTelemetryRuntime
import ArgumentParser
import Foundation

/// `agent-telemetry check-config FILE`: validates a configuration and prints the effective one.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print the effective configuration (environment applied, secrets masked).",
        discussion: "Exits 0 when valid, 2 when invalid (each problem on standard error with its key path and line).")

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() throws {
        do {
            let config = try ConfigurationLoader.load(path: file)
            print(EffectiveConfiguration.render(config), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(invalidConfigurationExitCode)
        }
    }
}
