import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryRuntime
import AgentTelemetryStatsD
import AgentTelemetryTestSupport
import Foundation
import Testing

@Suite("Exporters and subscribers as plug-ins")
struct PluginTests {
    @Test("the four built-in exporters are built through their kinds and found by type")
    func builtInsThroughKinds() throws {
        let port = try FreePort.find()
        let yaml = """
            exporters:
              prometheus:
                port: 0
                textfile:
                  path: /tmp/plugin-test-\(UUID().uuidString).prom
              otlp:
                endpoint: http://127.0.0.1:\(port)
              statsd:
                port: \(port)
            """
        let config = try ConfigurationLoader.load(yaml: yaml, source: "f")
        #expect(config.exporters.map(\.key) == ["prometheus", "otlp", "statsd"])
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        #expect(runtime.exporter(ofType: PrometheusExporter.self) != nil)
        #expect(runtime.exporter(ofType: PrometheusTextfileWriter.self) != nil)
        #expect(runtime.exporter(ofType: OTLPExporter.self)?.configuration.endpoint == "http://127.0.0.1:\(port)")
        #expect(runtime.exporter(ofType: StatsDExporter.self) != nil)
        // Start order: exporters, then Telemetry last (stopped first: the bus drains before the final runs).
        #expect(runtime.services.count == 5)
        #expect(runtime.services.last is Telemetry)
    }

    @Test("settings changed in code to a value the file would be refused for make bootstrap throw, naming the key")
    func invalidSettingsInCodeThrow() throws {
        var config = try ConfigurationLoader.load(yaml: "exporters:\n  otlp:\n    endpoint: http://127.0.0.1:4318\n", source: "f")
        config.otlp?.exportInterval = .nanoseconds(1)
        let error = #expect(throws: ConfigurationIssues.self) { try TelemetryRuntime.bootstrap(config: config, installGlobally: false) }
        #expect(error?.issues.map(\.keyPath) == [["exporters", "otlp", "interval"]])
    }

    @Test("a disabled or absent exporter is not built")
    func disabledNotBuilt() throws {
        let config = try ConfigurationLoader.load(yaml: "exporters:\n  prometheus:\n    enabled: false\n", source: "f")
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        #expect(runtime.exporters.isEmpty)
        #expect(runtime.exporter(ofType: OTLPExporter.self) == nil)
    }

    @Test("an unknown exporter or subscriber key gets the closest registered one, with its line")
    func unknownKind() throws {
        let error = #expect(throws: ConfigurationIssues.self) {
            try ConfigurationLoader.load(yaml: "exporters:\n  statd:\n    port: 1\nsubscribers:\n  audit_lg:\n    path: /tmp/x\n", source: "f.yaml")
        }
        let lines = error?.issues.map(\.description) ?? []
        #expect(lines == ["exporters.statd: unknown key \"statd\"; did you mean \"statsd\"? (f.yaml:2)",
                          "subscribers.audit_lg: unknown key \"audit_lg\"; did you mean \"audit_log\"? (f.yaml:5)"])
    }

    @Test("a subscriber's section is checked like an exporter's: a misspelt key and a missing path, with lines")
    func subscriberSectionChecked() throws {
        let error = #expect(throws: ConfigurationIssues.self) {
            try ConfigurationLoader.load(yaml: "subscribers:\n  audit_log:\n    evnets: [tool_executed]\n", source: "f.yaml")
        }
        let lines = error?.issues.map(\.description) ?? []
        #expect(lines.contains("subscribers.audit_log.evnets: unknown key \"evnets\"; did you mean \"events\"? (f.yaml:3)"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("subscribers.audit_log.path: is required") }, "\(lines)")
        #expect(AgentTelemetryEnvironment.variables["AGENT_TELEMETRY_SUBSCRIBERS_AUDIT_LOG_PATH"] == ["subscribers", "audit_log", "path"])
    }

    @Test("the audit subscriber enabled in YAML writes exactly the chosen events, one JSON object per line")
    func auditSubscriberFromYAML() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let yaml = """
            exporters:
              prometheus:
                enabled: false
            subscribers:
              audit_log:
                path: \(path)
                events: [tool_executed]
            """
        let config = try ConfigurationLoader.load(yaml: yaml, source: "f")
        #expect(EffectiveConfiguration.render(config).contains("audit_log:"))
        let runtime = try TelemetryRuntime.bootstrap(config: config, installGlobally: false)
        #expect(runtime.subscribers.count == 1)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await runtime.run() }
            for i in 0..<7 {
                runtime.telemetry.emit(ToolExecuted(tool: "tool-\(i)", outcome: .success, duration: .milliseconds(i)))
                runtime.telemetry.emit(SessionStarted(sessionID: "s\(i)", userID: "u"))
            }
            await runtime.telemetry.flush()
            await runtime.shutdown()
            try await tasks.waitForAll()
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 7)
        for (i, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["event"] as? String == "tool_executed")
            #expect((object["fields"] as? [String: Any])?["tool"] as? String == "tool-\(i)")
            #expect(object["time"] is String)
        }
    }

    @Test("the demo run with an audit_log subscriber in its file writes the workload's chosen events",
          .enabled(if: CommandTests.executable != nil), .timeLimit(.minutes(5)))
    func demoFeedsAuditSubscriber() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let audit = directory.appendingPathComponent("audit.jsonl").path
        let configFile = directory.appendingPathComponent("agent.yaml")
        try """
            exporters:
              prometheus:
                port: 0
            subscribers:
              audit_log:
                path: \(audit)
                events: [tool_executed, provider_request]
            """.write(to: configFile, atomically: true, encoding: .utf8)
        let process = try CommandTests.start(["demo", "--config", configFile.path, "--duration", "2", "--rate", "50"])
        let (status, output) = await CommandTests.wait(process)
        #expect(status == 0, "\(output)")
        let lines = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        var names = Set<String>()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            names.insert(object["event"] as? String ?? "")
        }
        #expect(names == ["tool_executed", "provider_request"], "only the chosen events, both of them: \(names)")
    }

    @Test("ConfigurationCheck gives check-config's exit codes and messages")
    func configurationCheck() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try "bus:\n  capacty: 10\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let failed = ConfigurationCheck.run(path: bad.path, environment: [:])
        #expect(failed.exitCode == 2)
        #expect(failed.standardOutput.isEmpty)
        #expect(failed.standardError.contains("bus.capacty: unknown key \"capacty\"; did you mean \"capacity\"? (\(bad.path):2)"))
        let good = ConfigurationCheck.run(path: repositoryRoot.appendingPathComponent("configs/agent-telemetry.yaml").path, environment: [:])
        #expect(good.exitCode == 0, "\(good.standardError)")
        #expect(good.standardOutput.contains("exporters:"))
    }
}
