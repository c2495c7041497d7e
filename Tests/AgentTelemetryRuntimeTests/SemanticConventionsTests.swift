import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryTestSupport
import Foundation
import Testing

/// OTLP in the OpenTelemetry conventions' own terms (issue 25): a real demo export, decoded with
/// the official opentelemetry-proto classes, checked against the pinned
/// `opentelemetry-semantic-conventions` package by Tests/peers/semconv_check.py.
@Suite("OTLP in the OpenTelemetry semantic conventions",
       .enabled(if: CommandTests.executable != nil && SemanticConventionsPeer.available,
                "needs the CLI and python3 with opentelemetry-proto and opentelemetry-semantic-conventions (bash .ci/run installs them)"))
struct SemanticConventionsTests {
    static let checker = repositoryRoot.appendingPathComponent("Tests/peers/semconv_check.py")

    /// Runs the checker on a receiver's output; returns its exit status and its JSON report.
    /// The wait happens on a thread of its own (the checker imports Python packages for seconds,
    /// and a test task must not hold one of the few cooperative threads meanwhile).
    static func check(_ records: URL) async throws -> (status: Int32, report: [String: Any]) {
        let run = try await Peers.run("/usr/bin/env", ["python3", checker.path, records.path,
                                                        "--docs", repositoryRoot.appendingPathComponent("docs/PRODUCTION_METRICS.md").path])
        let report = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
        return (run.status, report)
    }

    @Test("a demo export conforms: convention names, kinds, units and attribute keys, schema_url set, no empty attribute")
    func demoExportConforms() async throws {
        let collector = try await OTLPReceiver()
        defer { collector.stop() }
        // The opt-in labels are turned on so that their keys are checked too.
        let config = try HostilePeerCommandTests.configFile("""
            exporters:
              prometheus: {port: 0}
              otlp: {endpoint: "\(collector.endpoint)", interval: 1h, timeout: 60s}
            metrics:
              views:
                - match: "gen_ai_client_*"
                  opt_in_labels: [server.address, server.port, gen_ai.agent.name]
                - match: gen_ai_execute_tool_duration_seconds
                  opt_in_labels: [gen_ai.agent.name]
            """)
        defer { try? FileManager.default.removeItem(at: config) }
        let (status, output) = await CommandTests.wait(try CommandTests.start(
            ["demo", "--config", config.path, "--duration", "2", "--rate", "100", "--progress-interval", "60"]))
        #expect(status == 0, "\(output.suffix(600))")
        #expect(await collector.waitForRecords(1, timeout: .seconds(60)).count >= 1, "the final export reached the collector")

        let (result, report) = try await Self.check(collector.outFile)
        let problems = report["problems"] as? [String] ?? ["no report"]
        #expect(result == 0 && problems.isEmpty, "\(problems.prefix(20))")
        #expect(report["schema_url"] as? String == SemanticConventions.schemaURL,
                "the catalog pins the package's newest release")
        let checked = Set(report["conventions_metrics_checked"] as? [String] ?? [])
        for name in ["gen_ai.client.operation.duration", "gen_ai.client.token.usage",
                     "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.operation.time_per_output_chunk",
                     "mcp.client.operation.duration", "mcp.server.operation.duration",
                     "mcp.client.session.duration", "mcp.server.session.duration"] {
            #expect(checked.contains(name), "\(name) was exported and checked against the package")
        }
        let keys = Set(report["attribute_keys"] as? [String] ?? [])
        for key in ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model",
                    "gen_ai.token.type", "error.type", "gen_ai.tool.name", "gen_ai.agent.name", "server.address", "server.port",
                    "mcp.method.name", "mcp.protocol.version", "network.transport"] {
            #expect(keys.contains(key), "\(key) is sent")
        }
        #expect(keys.filter { $0.hasPrefix("gen_ai_") || $0 == "error_type" || $0.hasPrefix("server_") }.isEmpty,
                "no Prometheus spelling of a convention key: \(keys.sorted())")
        let metrics = report["metrics"] as? [String: [String: Any]] ?? [:]
        #expect(metrics.count > 40)
        #expect(metrics.values.allSatisfy { !($0["unit"] as? String ?? "").isEmpty }, "every metric has a unit")

        // The checker fails the same export with one key turned back into its Prometheus spelling.
        let reverted = FileManager.default.temporaryDirectory.appendingPathComponent("semconv-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: reverted) }
        let text = try String(contentsOf: collector.outFile, encoding: .utf8)
        try text.replacingOccurrences(of: "\"gen_ai.request.model\"", with: "\"gen_ai_request_model\"")
            .write(to: reverted, atomically: true, encoding: .utf8)
        let (revertedResult, revertedReport) = try await Self.check(reverted)
        #expect(revertedResult == 1)
        #expect((revertedReport["problems"] as? [String] ?? []).contains { $0.contains("'gen_ai_request_model' is the underscore spelling of 'gen_ai.request.model'") })
    }
}

/// Whether python3 has the official proto classes and the pinned semantic-conventions package.
enum SemanticConventionsPeer {
    static let available: Bool = {
        guard OTLPReceiver.available else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import opentelemetry.semconv.schemas"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return Peers.require(false, "python opentelemetry-semantic-conventions") }
        p.waitUntilExit()
        return Peers.require(p.terminationStatus == 0, "python opentelemetry-semantic-conventions")
    }()
}
