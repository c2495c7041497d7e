import AgentTelemetryReport
import Testing

@Suite("Exposition parser")
struct ParserTests {
    @Test("label values unescape backslash, double quote and newline")
    func labelEscapes() throws {
        let e = try ExpositionParser.parse(#"m{a="back\\slash",b="say \"hi\"",c="two\nlines"} 1"# + "\n")
        #expect(e.samples.first?.labels == ["a": #"back\slash"#, "b": #"say "hi""#, "c": "two\nlines"])
    }

    @Test("HELP unescapes backslash and newline; TYPE is recorded per family")
    func helpAndType() throws {
        let e = try ExpositionParser.parse("# HELP m A \\\\ and\\nmore.\n# TYPE m counter\nm 1\n")
        #expect(e.help["m"] == "A \\ and\nmore.")
        #expect(e.types["m"] == "counter")
    }

    @Test("+Inf, -Inf and NaN values and the +Inf bucket bound")
    func specialValues() throws {
        let e = try ExpositionParser.parse("a +Inf\nb -Inf\nc NaN\nh_bucket{le=\"+Inf\"} 3\n")
        #expect(e.samples[0].value == .infinity)
        #expect(e.samples[1].value == -.infinity)
        #expect(e.samples[2].value.isNaN)
        #expect(e.samples[3].labels["le"] == "+Inf")
    }

    @Test("histogram _bucket, _sum and _count samples keep their suffixes; timestamps are read")
    func histogramSamples() throws {
        // The +Inf bucket is required (the format: "A histogram must have a bucket with {le="+Inf"}").
        let e = try ExpositionParser.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2 1700000000000\nh_bucket{le=\"+Inf\"} 2\nh_sum 1.5\nh_count 2\n")
        #expect(e.samples.map(\.name) == ["h_bucket", "h_bucket", "h_sum", "h_count"])
        #expect(e.samples[0].timestamp == 1_700_000_000_000)
        #expect(e.types["h"] == "histogram")
    }

    @Test("blank lines, other comments and a trailing comma in labels are accepted")
    func tolerated() throws {
        let e = try ExpositionParser.parse("\n# just a comment\nm{a=\"1\",} 2\r\n")
        #expect(e.samples == [ExpositionSample(name: "m", labels: ["a": "1"], value: 2)])
    }

    @Test("an HTML page is rejected at line 1 with a clear reason")
    func htmlRejected() {
        #expect(throws: ExpositionParseError(line: 1, reason: "expected a metric name, found \"<\"")) {
            try ExpositionParser.parse("<!DOCTYPE html>\n<html><body>Grafana</body></html>\n")
        }
    }

    @Test("JSON, a missing value and an unterminated label are rejected")
    func otherGarbageRejected() {
        #expect(throws: ExpositionParseError.self) { try ExpositionParser.parse("{\"status\":\"success\"}") }
        #expect(throws: ExpositionParseError.self) { try ExpositionParser.parse("m{a=\"1\"}\n") }
        #expect(throws: ExpositionParseError.self) { try ExpositionParser.parse("m{a=\"1} 1\n") }
        #expect(throws: ExpositionParseError.self) { try ExpositionParser.parse("m one\n") }
    }
}

@Suite("histogram_quantile")
struct QuantileTests {
    @Test("interpolates linearly inside the bucket holding the rank, from 0 for the first bucket")
    func interpolation() {
        let buckets: [Double: Double] = [0.01: 4, 0.1: 8, .infinity: 8]
        #expect(HistogramQuantile.quantile(0.5, buckets: buckets) == 0.01)
        #expect(abs((HistogramQuantile.quantile(0.95, buckets: buckets) ?? 0) - 0.091) < 1e-12)
    }

    @Test("a rank in the +Inf bucket gives the highest finite bound; no observations give nil")
    func edges() {
        #expect(HistogramQuantile.quantile(0.99, buckets: [1: 3, 2: 5, .infinity: 6]) == 2)
        #expect(HistogramQuantile.quantile(0.5, buckets: [1: 0, .infinity: 0]) == nil)
        #expect(HistogramQuantile.quantile(0.5, buckets: [1: 3]) == nil)
    }
}
