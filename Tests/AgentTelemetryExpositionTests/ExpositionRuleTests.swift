import AgentTelemetryExposition
import Testing

/// Each rule of OpenMetrics 1.0 and Prometheus text 0.0.4, a valid case and a violating case, in
/// the spirit of client_golang's parser tests.
@Suite("Exposition format rules")
struct ExpositionRuleTests {
    @Test("the parser gives the specification's verdict", arguments: RuleCases.all)
    func verdict(_ c: RuleCase) {
        do {
            _ = try ExpositionParser.parse(c.bytes, dialect: c.dialect)
            #expect(c.refusal == nil, "accepted, but the specification refuses it:\n\(c.text)")
        } catch {
            guard let refusal = c.refusal else {
                Issue.record("refused a valid document: \(error)\n\(c.text)")
                return
            }
            #expect(error.rule == refusal.rule, "\(error)")
            #expect(error.line == refusal.line, "\(error)")
        }
    }

    @Test("every refusal message names the line and the rule", arguments: RuleCases.all.filter { $0.refusal != nil })
    func refusalMessage(_ c: RuleCase) throws {
        let error = try #require(throws: ExpositionParseError.self) { try ExpositionParser.parse(c.bytes, dialect: c.dialect) }
        #expect(error.description.contains("line \(error.line): "))
        #expect(error.description.hasSuffix("(rule: \(error.rule.rawValue))"))
    }

    @Test("every rule has a case that breaks it")
    func everyRuleIsTested() {
        let broken = Set(RuleCases.all.compactMap { $0.refusal?.rule })
        #expect(Set(ExpositionRule.allCases).subtracting(broken).isEmpty,
                "rules without a violating case: \(Set(ExpositionRule.allCases).subtracting(broken).map(\.rawValue))")
    }
}

@Suite("Choosing the format")
struct DialectTests {
    @Test("the content type decides when it names a format")
    func contentType() throws {
        #expect(ExpositionDialect(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionDialect(contentType: "text/plain; version=0.0.4; charset=utf-8") == .prometheusText)
        #expect(ExpositionDialect(contentType: "text/html") == nil)
        // An OpenMetrics body served as 0.0.4 is read as 0.0.4, and its exemplar refused.
        #expect(throws: ExpositionParseError.self) {
            try ExpositionParser.parse("# TYPE a counter\na_total 1 # {t=\"x\"} 1\n# EOF\n", contentType: "text/plain; version=0.0.4")
        }
    }

    @Test("without a content type, # EOF, # UNIT, an OpenMetrics type or an exemplar mean OpenMetrics",
          arguments: ["a 1\n# EOF\n", "# UNIT a_seconds seconds\n", "# TYPE a info\n", "a_total 1 # {t=\"x\"} 1\n"])
    func openMetricsByContent(_ text: String) {
        #expect(ExpositionParser.detectDialect(Array(text.utf8)) == .openMetrics)
    }

    @Test("without a content type, anything else is 0.0.4")
    func prometheusTextByContent() {
        #expect(ExpositionParser.detectDialect(Array("# HELP a x\n# TYPE a counter\na 1 1700000000000\n".utf8)) == .prometheusText)
    }

    @Test("an OpenMetrics text without # EOF is refused only when its content type says OpenMetrics")
    func missingEOFNeedsTheContentType() throws {
        #expect(throws: ExpositionParseError.self) { try ExpositionParser.parse("a 1\n", contentType: "application/openmetrics-text") }
        #expect(try ExpositionParser.parse("a 1\n").dialect == .prometheusText)
    }
}

@Suite("What the parser keeps")
struct ParsedContentTests {
    @Test("exemplars and timestamps are kept with their samples")
    func exemplarsAndTimestamps() throws {
        let e = try ExpositionParser.parse("# TYPE a counter\na_total{x=\"1\"} 3 1.5 # {trace_id=\"abc\"} 0.042 1700000000.25\n# EOF\n")
        let s = try #require(e.samples.first)
        #expect(s.timestamp == 1500)
        #expect(s.exemplar == ExpositionExemplar(labels: ["trace_id": "abc"], value: 0.042, timestamp: 1_700_000_000.25))
        #expect(e.families.map(\.name) == ["a"])
        #expect(e.families.first?.type == .counter)
    }

    @Test("HELP, TYPE and UNIT are kept per family; a family without TYPE is unknown (OpenMetrics) or untyped (0.0.4)")
    func metadata() throws {
        let om = try ExpositionParser.parse("# HELP a_seconds Time \\\"spent\\\".\n# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\nb 2\n# EOF\n")
        #expect(om.families.map(\.type) == [.gauge, .unknown])
        #expect(om.families.first?.help == "Time \"spent\".")
        #expect(om.families.first?.unit == "seconds")
        #expect(try ExpositionParser.parse("b 2\n").families.first?.type == .untyped)
    }

    @Test("numbers are read bit for bit", arguments: [
        ("1e-300", 1e-300), ("-0", -0.0), ("+Inf", Double.infinity), ("-Inf", -Double.infinity),
        ("9007199254740993", 9007199254740992.0), ("18446744073709551616", 18446744073709551616.0),
        ("1.7976931348623157e+308", Double.greatestFiniteMagnitude), ("4.9e-324", Double.leastNonzeroMagnitude),
        ("0.1", 0.1),
    ])
    func exactNumbers(_ text: String, _ expected: Double) throws {
        for dialect in [ExpositionDialect.prometheusText, .openMetrics] {
            let body = "a \(text)\n" + (dialect == .openMetrics ? "# EOF\n" : "")
            let value = try #require(try ExpositionParser.parse(Array(body.utf8), dialect: dialect).samples.first?.value)
            #expect(value.bitPattern == expected.bitPattern, "\(text) in \(dialect.rawValue) read as \(value)")
        }
    }

    @Test("NaN is read as NaN")
    func nan() throws {
        #expect(try ExpositionParser.parse("a NaN\n").samples.first?.value.isNaN == true)
    }
}
