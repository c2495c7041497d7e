import AgentTelemetryRuntime
import ArgumentParser
import Foundation

/// `agent-telemetry check-config FILE`: validates a configuration and prints the effective one.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print the effective configuration (environment applied, secrets masked).",
        discussion: """
            Exits 0 when valid, 2 when invalid. Every problem is reported in one run, each on standard error \
            with its key path and its line or environment variable: unknown keys, wrong types and values \
            out of range alike. Notes (e.g. that an empty file means every default) go to standard error too.
            """)

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() throws {
        do {
            let config = try ConfigurationLoader.load(path: file)
            for note in config.notes { complain("note: \(note)") }
            print(EffectiveConfiguration.render(config), terminator: "")
        } catch {
            complain("\(error)")
            throw ExitCode(invalidConfigurationExitCode)
        }
    }
}
