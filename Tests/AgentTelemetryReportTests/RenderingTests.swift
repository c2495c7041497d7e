import AgentTelemetryReport
import AgentTelemetryTestSupport
import Foundation
import Testing

@Suite("Report rendering from a fixed exposition")
struct RenderingTests {
    @Test("Markdown equals the hand-written golden file")
    func markdownGolden() async throws {
        let report = try await TestFixtures.fixedReport()
        let expected = try TestFixtures.text("report.md")
        let rendered = MarkdownReportRenderer.render(report)
        #expect(rendered == expected)
        if rendered != expected {
            for (a, b) in zip(rendered.split(separator: "\n"), expected.split(separator: "\n")) where a != b {
                Issue.record("first difference: got \"\(a)\", expected \"\(b)\"")
                break
            }
        }
    }

    @Test("JSON validates against docs/report.schema.json and shows missing values as null",
          .enabled(if: TestFixtures.hasJSONSchema))
    func jsonSchema() async throws {
        let json = try JSONReportRenderer.render(try await TestFixtures.fixedReport())
        let path = try TestFixtures.temporary(json, suffix: ".json")
        let schema = repositoryRoot.appendingPathComponent("docs/report.schema.json").path
        let result = try await TestFixtures.python("""
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(doc)
            rows = [r for s in doc["sections"] for r in s["rows"]]
            print(sum(1 for r in rows if r["value"] is None), doc["header"]["time_range"], doc["alerts"])
            """, [schema, path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "12 None None\n")
    }

    @Test("CSV parses with Python's csv module: header plus one row per measurement and series, empty cells for missing")
    func csvParses() async throws {
        let report = try await TestFixtures.fixedReport()
        let csv = CSVReportRenderer.render(report)
        let path = try TestFixtures.temporary(csv, suffix: ".csv")
        let result = try await TestFixtures.python("""
            import csv, sys
            rows = list(csv.reader(open(sys.argv[1], newline="")))
            print(",".join(rows[0])); print(len(rows) - 1)
            print([r for r in rows if r[1] == "tool_executions"][0])
            print(sum(1 for r in rows[1:] if r[4] == ""))
            """, [path])
        #expect(result.status == 0, "\(result.stderr)")
        let rowCount = report.sections.reduce(0) { $0 + $1.rows.count }
        #expect(result.stdout == """
            section,measurement,title,series,value,unit
            \(rowCount)
            ['functional', 'tool_executions', 'Tool executions', 'tool=fetch "url"', '2', 'count']
            12

            """)
    }

    @Test("--format all names files after --output with a UTC timestamp")
    func fileNames() {
        #expect(ReportFileNames.base("out/report.md", generatedAt: TestFixtures.generatedAt) == "out/report-20261125T091500Z")
        #expect(ReportFileNames.base("report", generatedAt: TestFixtures.generatedAt) == "report-20261125T091500Z")
    }

    @Test("PromQL for a window uses histogram_quantile over rate and increase for counters")
    func promQL() async throws {
        let range = try #require(ReportTimeRange("1h"))
        #expect(PrometheusDataSource.promQL(.quantile(0.95, histogram: "agent_request_duration_seconds", by: []), range: range)
            == "histogram_quantile(0.95, sum by (le) (rate(agent_request_duration_seconds_bucket[1h])))")
        #expect(PrometheusDataSource.promQL(.total(counter: "agent_requests_total", by: [], matching: [:]), range: range)
            == "sum (increase(agent_requests_total[1h]))")
        #expect(ReportTimeRange("7d")?.seconds == 604_800)
        #expect(ReportTimeRange("1x") == nil)
    }
}
