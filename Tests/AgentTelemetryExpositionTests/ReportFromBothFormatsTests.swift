import AgentTelemetryReport
import Foundation
import Testing

/// `agent-telemetry report --metrics-file` on the demo's exposition saved in either format.
@Suite("Report from either format")
struct ReportFromBothFormatsTests {
    /// The report `--metrics-file` gives for `bytes` saved to a file (the same loader and generator).
    static func report(_ bytes: [UInt8], name: String) async throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parser-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try await ReportGenerator().generate(
            source: ExpositionDataSource(exposition: try ExpositionLoader.load(path: url.path)), sourceKind: "exposition",
            sourceLocation: "metrics.txt", timeRange: nil, generatedAt: Date(timeIntervalSince1970: 1_795_598_100))
        return MarkdownReportRenderer.render(report)
    }

    @Test("the OpenMetrics exposition (exemplars included) gives the same report as the 0.0.4 one")
    func sameReport() async throws {
        let (text, om) = try await OwnExpositionTests.demoExpositions()
        let fromText = try await Self.report(text, name: "own.txt")
        let fromOpenMetrics = try await Self.report(om, name: "own_om.txt")
        #expect(fromOpenMetrics == fromText)
        #expect(fromText.contains("| "), "the report has rows")
    }

    @Test("a file that breaks a rule is refused with its path, line and rule")
    func refusal() async throws {
        let bad = Array("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n# EOF\n".utf8)
        let error = await #expect(throws: ReportError.self) { _ = try await Self.report(bad, name: "bad.txt") }
        let text = String(describing: error.map { $0 as any Error } ?? CancellationError())
        #expect(text.contains("not an OpenMetrics exposition: line 3: "), "\(text)")
        #expect(text.hasSuffix("(rule: \(ExpositionRule.cumulativeBuckets.rawValue))"), "\(text)")
    }
}
