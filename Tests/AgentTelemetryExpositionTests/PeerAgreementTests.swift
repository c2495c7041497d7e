import AgentTelemetryExposition
import AgentTelemetryTestSupport
import Foundation
import Testing

/// prometheus_client's parsers (the pinned test peer) run over the rule cases: they must give the
/// same verdict as ours, apart from the few documented places where prometheus_client knowingly
/// departs from the specification.
@Suite("Agreement with prometheus_client")
struct PeerAgreementTests {
    static let enabled = Peers.hasPrometheusClient

    /// OpenMetrics cases on which prometheus_client 0.26.0 and the specification part, with why.
    static let knownDifferences: [String: String] = [
        "an unknown escape in a label value":
            "prometheus_client keeps an unknown escape as written; the OpenMetrics grammar has only \\\\, \\\" and \\n",
        "a series twice":
            "prometheus_client silently drops a repeated sample of a series; OpenMetrics forbids the repetition",
    ]

    /// prometheus_client's verdict per document: `nil` when it accepts, else its error.
    static func verdicts(_ documents: [[UInt8]], openMetrics: Bool) async throws -> [String?] {
        let script = """
        import sys, json, base64
        if sys.argv[1] == "openmetrics":
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
        else:
            from prometheus_client.parser import text_string_to_metric_families as parse
        out = []
        for doc in json.load(sys.stdin):
            try:
                list(parse(base64.b64decode(doc).decode("utf-8")))
                out.append(None)
            except Exception as e:
                out.append(repr(e))
        print(json.dumps(out))
        """
        let input = try JSONSerialization.data(withJSONObject: documents.map { Data($0).base64EncodedString() })
        let result = try await Peers.run(Peers.which("python3") ?? "/usr/bin/python3",
                                         ["-c", script, openMetrics ? "openmetrics" : "text"], stdin: input)
        try #require(result.status == 0, "\(result.stderr)")
        let verdicts = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any] ?? []
        return verdicts.map { $0 as? String }
    }

    @Test("prometheus_client's OpenMetrics parser gives our verdict on every OpenMetrics case", .enabled(if: enabled))
    func openMetrics() async throws {
        let cases = RuleCases.openMetrics
        let theirs = try await Self.verdicts(cases.map(\.bytes), openMetrics: true)
        try #require(theirs.count == cases.count)
        for (c, verdict) in zip(cases, theirs) {
            let ours = (try? ExpositionParser.parse(c.bytes, dialect: .openMetrics)) != nil
            if Self.knownDifferences[c.name] != nil {
                #expect(ours != (verdict == nil), "\(c.name): no longer differs; remove the exception")
            } else {
                #expect(ours == (verdict == nil), "\(c.testDescription); prometheus_client: \(verdict ?? "accepted")")
            }
        }
    }

    @Test("prometheus_client's 0.0.4 parser (lenient) accepts every case we accept", .enabled(if: enabled))
    func prometheusText() async throws {
        let valid = RuleCases.prometheusText.filter { $0.refusal == nil }
        let theirs = try await Self.verdicts(valid.map(\.bytes), openMetrics: false)
        try #require(theirs.count == valid.count)
        for (c, verdict) in zip(valid, theirs) {
            #expect(verdict == nil, "\(c.testDescription); prometheus_client: \(verdict ?? "")")
        }
    }

    @Test("prometheus_client accepts the project's own expositions, as we do", .enabled(if: enabled))
    func ownExpositions() async throws {
        let (text, om) = try await OwnExpositionTests.demoExpositions()
        #expect(try await Self.verdicts([om], openMetrics: true) == [nil])
        #expect(try await Self.verdicts([text], openMetrics: false) == [nil])
    }
}
