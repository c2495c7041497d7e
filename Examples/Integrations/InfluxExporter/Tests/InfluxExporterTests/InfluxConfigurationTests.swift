import AgentTelemetry
import AgentTelemetryRuntime
import Foundation
import InfluxExporter
import Testing

@Suite("The influxdb section is checked like a built-in one")
struct InfluxConfigurationTests {
    static let typo = """
        exporters:
          influxdb:
            url: http://127.0.0.1:8086
            databse: agent
            interval: 1ns
            timeout: soon
        """

    @Test("every problem of the section at once, each with its key path, line and, for a typo, a suggestion")
    func problemsAtOnce() throws {
        let error = #expect(throws: ConfigurationIssues.self) {
            try ConfigurationLoader.load(yaml: Self.typo, source: "agent.yaml", plugins: .withInflux)
        }
        let lines = error?.issues.map(\.description) ?? []
        #expect(lines.contains("exporters.influxdb.databse: unknown key \"databse\"; did you mean \"database\"? (agent.yaml:4)"), "\(lines)")
        #expect(lines.contains("exporters.influxdb.interval: 1ns is below the minimum of 1s (agent.yaml:5)"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("exporters.influxdb.timeout: ") && $0.hasSuffix("(agent.yaml:6)") }, "\(lines)")
    }

    @Test("a misspelt plug-in key under exporters: names the registered one")
    func misspeltKind() throws {
        let error = #expect(throws: ConfigurationIssues.self) {
            try ConfigurationLoader.load(yaml: "exporters:\n  influx:\n    database: agent\n", source: "agent.yaml", plugins: .withInflux)
        }
        #expect(error?.issues.map(\.description) == ["exporters.influx: unknown key \"influx\"; did you mean \"influxdb\"? (agent.yaml:2)"])
    }

    @Test("AGENT_TELEMETRY_INFLUXDB_* variables set the section, and the password prints masked")
    func environmentAndMasking() throws {
        let yaml = "exporters:\n  influxdb:\n    username: writer\n    password: s3cret-pw\n"
        let check = ConfigurationCheck.run(path: try Self.file(yaml), plugins: .withInflux,
                                           environment: ["AGENT_TELEMETRY_INFLUXDB_DATABASE": "from_env", "AGENT_TELEMETRY_INFLUXDB_INTERVAL": "30s"])
        #expect(check.exitCode == 0, "\(check.standardError)")
        let influx = check.configuration?.settings(of: InfluxExporterKind.self)
        #expect(influx?.database == "from_env")
        #expect(influx?.interval == .seconds(30))
        #expect(check.standardOutput.contains("influxdb:"))
        #expect(check.standardOutput.contains("database: from_env") || check.standardOutput.contains("database: \"from_env\""), "\(check.standardOutput)")
        #expect(!check.standardOutput.contains("s3cret-pw"))
        #expect(AgentTelemetryEnvironment.variables(for: .withInflux)["AGENT_TELEMETRY_INFLUXDB_URL"] == ["exporters", "influxdb", "url"])
    }

    @Test("influx-agent check-config reports a typo in its section with line and suggestion, exit 2", .timeLimit(.minutes(1)))
    func programCheckConfig() throws {
        let executable = try #require(Self.agentExecutable, "influx-agent is built next to the tests by swift build / swift test")
        let path = try Self.file(Self.typo)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["check-config", path]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AGENT_TELEMETRY_") }
        let err = Pipe(), out = Pipe()
        process.standardError = err
        process.standardOutput = out
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(stderr)")
        #expect(stderr.contains("exporters.influxdb.databse: unknown key \"databse\"; did you mean \"database\"? (\(path):4)"), "\(stderr)")

        let good = try Self.file("exporters:\n  influxdb:\n    database: agent\n")
        let ok = Process()
        ok.executableURL = URL(fileURLWithPath: executable)
        ok.arguments = ["check-config", good]
        ok.environment = process.environment
        let okOut = Pipe()
        ok.standardOutput = okOut
        ok.standardError = FileHandle.nullDevice
        try ok.run()
        let printed = String(decoding: okOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ok.waitUntilExit()
        #expect(ok.terminationStatus == 0)
        #expect(printed.contains("influxdb:"), "\(printed)")
    }

    /// `influx-agent` beside the test bundle.
    static let agentExecutable: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("influx-agent").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// A temporary file holding `text`.
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("influx-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
