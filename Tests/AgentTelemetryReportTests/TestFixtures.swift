import AgentTelemetryReport
import AgentTelemetryTestSupport
import Foundation

/// Fixture files and a report generated from the fixed exposition.
enum TestFixtures {
    static let directory = repositoryRoot.appendingPathComponent("Tests/AgentTelemetryReportTests/Fixtures")
    /// 2026-11-25T09:15:00Z.
    static let generatedAt = Date(timeIntervalSince1970: 1_795_598_100)

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func fixedReport() async throws -> Report {
        let exposition = try ExpositionParser.parse(try text("exposition.txt"))
        return try await ReportGenerator().generate(
            source: ExpositionDataSource(exposition: exposition), sourceKind: "exposition",
            sourceLocation: "exposition.txt", timeRange: nil, generatedAt: generatedAt)
    }

    /// Writes `text` to a temporary file and returns its path.
    static func temporary(_ text: String, suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)\(suffix)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func python(_ script: String, _ arguments: [String]) async throws -> Peers.Result {
        try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3", ["-c", script] + arguments)
    }

    static let hasJSONSchema = Peers.require(Peers.pythonHas("jsonschema"), "python jsonschema")
}
