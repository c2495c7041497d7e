import AgentTelemetryExposition
import Testing

/// One case of a rule of the text formats: a document and the verdict the specification gives.
struct RuleCase: Sendable, CustomTestStringConvertible {
    /// What the case shows, e.g. "counter total negative".
    var name: String
    var dialect: ExpositionDialect
    var bytes: [UInt8]
    /// `nil`: valid. Otherwise the rule broken and the line that breaks it.
    var refusal: (rule: ExpositionRule, line: Int)?

    var testDescription: String {
        "\(dialect == .openMetrics ? "OpenMetrics" : "0.0.4"): \(name) → " + (refusal.map { "refused at line \($0.line): \($0.rule.rawValue)" } ?? "valid")
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The rules of both formats, each with a valid case and a violating case, written from the
/// OpenMetrics 1.0 specification and the Prometheus exposition format document.
enum RuleCases {
    /// An OpenMetrics document: `lines` joined, then `# EOF`.
    static func om(_ name: String, _ lines: String, _ refusal: (ExpositionRule, Int)? = nil) -> RuleCase {
        RuleCase(name: name, dialect: .openMetrics, bytes: Array((lines + "\n# EOF\n").utf8), refusal: refusal.map { ($0.0, $0.1) })
    }

    /// An OpenMetrics text given whole (for the rules about `# EOF` and blank lines).
    static func omRaw(_ name: String, _ text: String, _ refusal: (ExpositionRule, Int)? = nil) -> RuleCase {
        RuleCase(name: name, dialect: .openMetrics, bytes: Array(text.utf8), refusal: refusal.map { ($0.0, $0.1) })
    }

    /// A Prometheus text 0.0.4 document.
    static func text(_ name: String, _ text: String, _ refusal: (ExpositionRule, Int)? = nil) -> RuleCase {
        RuleCase(name: name, dialect: .prometheusText, bytes: Array(text.utf8), refusal: refusal.map { ($0.0, $0.1) })
    }

    static let histogramOK = """
        # TYPE h histogram
        h_bucket{le="0.1"} 1
        h_bucket{le="1.0"} 2
        h_bucket{le="+Inf"} 3
        h_count 3
        h_sum 2.5
        """

    static let openMetrics: [RuleCase] = [
        // UTF-8
        om("a UTF-8 label value", #"a{b="ünïcødé ✓"} 1"#),
        RuleCase(name: "a label value that is not UTF-8", dialect: .openMetrics,
                 bytes: Array("a 1\na{b=\"".utf8) + [0xFF, 0xFE] + Array("\"} 1\n# EOF\n".utf8), refusal: (.utf8, 2)),
        // Line syntax
        om("HELP, TYPE, UNIT and samples", "# HELP a_bytes Bytes.\n# TYPE a_bytes gauge\n# UNIT a_bytes bytes\na_bytes 1"),
        om("a comment that is not metadata", "# hello world\na 1", (.lineSyntax, 1)),
        om("an HTML page", "<html>", (.lineSyntax, 1)),
        om("HELP without its text", "# HELP a\na 1", (.spacing, 1)),
        // Names
        om("a metric name with colons and digits", "a:b_c9 1"),
        om("a metric name starting with a digit", "# TYPE 1a gauge", (.metricName, 1)),
        om("a label name starting with a digit", #"a{1b="x"} 1"#, (.labelName, 1)),
        om("an empty label set", "a{} 1"),
        om("a trailing comma in a label set", #"a{b="1",} 1"#, (.labelSyntax, 1)),
        om("a label named twice", #"a{b="1",b="2"} 1"#, (.duplicateLabel, 1)),
        // Escapes
        om("label value escapes", #"a{b="q\"b\\s\nl"} 1"#),
        om("HELP escapes", #"# HELP a say \"hi\" \\ and\nmore"# + "\na 1"),
        om("an unknown escape in a label value", #"a{b="\x"} 1"#, (.escape, 1)),
        // Spacing
        om("two spaces before the value", "a  1", (.spacing, 1)),
        om("a space after the value", "a 1 ", (.spacing, 1)),
        om("a space before the metric name", " a 1", (.lineSyntax, 1)),
        // Numbers
        om("special and exact values", "a{v=\"1\"} +Inf\na{v=\"2\"} -Inf\na{v=\"3\"} NaN\na{v=\"4\"} -0\na{v=\"5\"} 1e-300\na{v=\"6\"} .5\na{v=\"7\"} 1.7976931348623157e+308"),
        om("a value that is a word", "a one", (.number, 1)),
        om("a hexadecimal value", "a 0x1p3", (.number, 1)),
        om("a carriage return before the line feed", "a 1\r", (.number, 1)),
        // Timestamps
        om("a timestamp in float seconds", "a 1 1.5"),
        om("a NaN timestamp", "a 1 NaN", (.timestamp, 1)),
        // Types and metadata
        om("every OpenMetrics type", """
            # TYPE c counter
            c_total 1
            c_created 1.7e9
            # TYPE g gauge
            g -1
            # TYPE s summary
            s{quantile="0.5"} 1
            s_count 2
            s_sum 3
            # TYPE gh gaugehistogram
            gh_bucket{le="1"} 1
            gh_bucket{le="+Inf"} 2
            gh_gcount 2
            gh_gsum 3
            # TYPE st stateset
            st{st="a"} 1
            st{st="b"} 0
            # TYPE i info
            i_info{version="1.2"} 1
            # TYPE u unknown
            u 5
            """),
        om("TYPE untyped (a 0.0.4 type)", "# TYPE a untyped\na 1", (.metricType, 1)),
        om("a second HELP", "# HELP a x\n# HELP a y\na 1", (.metadataOnce, 2)),
        om("TYPE after samples", "a 1\n# TYPE a gauge", (.metadataFirst, 2)),
        om("families one after the other", "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1"),
        om("a family resumed after another", "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 1", (.familiesContiguous, 5)),
        om("a gauge a and a gauge a_total", "# TYPE a gauge\na 1\n# TYPE a_total gauge\na_total 1"),
        om("a gauge named like a counter's total", "# TYPE a counter\na_total 1\n# TYPE a_total gauge\na_total 2", (.nameClash, 3)),
        om("a counter sample without _total", "# TYPE a counter\na 1", (.sampleSuffix, 2)),
        // Series
        om("one series at two increasing times", "a 1 1\na 2 2"),
        om("a series twice", "a{b=\"1\"} 1\na{b=\"1\"} 2", (.duplicateSeries, 2)),
        om("a series resumed after another", "a{b=\"1\"} 1\na{b=\"2\"} 1\na{b=\"1\"} 1", (.seriesContiguous, 3)),
        om("a series with and without a timestamp", "a 1 1\na 2", (.seriesContiguous, 2)),
        om("a series' timestamp going back", "a 1 2\na 2 1", (.seriesContiguous, 2)),
        // Counters
        om("a counter at zero", "# TYPE a counter\na_total 0"),
        om("a negative counter", "# TYPE a counter\na_total -1", (.counterValue, 2)),
        om("a NaN counter", "# TYPE a counter\na_total NaN", (.counterValue, 2)),
        // Histograms
        om("a histogram", histogramOK),
        om("a bucket count that is not an integer", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.5\nh_count 1.5\nh_sum 1", (.integerCount, 2)),
        om("a bucket whose le is not a number", "# TYPE h histogram\nh_bucket{le=\"x\"} 1", (.leLabel, 2)),
        om("a bucket without le", "# TYPE h histogram\nh_bucket 1", (.leLabel, 2)),
        om("le=\"Inf\" instead of +Inf", "# TYPE h histogram\nh_bucket{le=\"Inf\"} 1\nh_count 1\nh_sum 1", (.leLabel, 2)),
        om("buckets out of order", "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1", (.bucketOrder, 3)),
        om("buckets not cumulative", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1", (.cumulativeBuckets, 3)),
        om("no +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1", (.infBucket, 2)),
        om("no buckets at all", "# TYPE h histogram\nh_count 1\nh_sum 1", (.infBucket, 3)),
        om("_count unequal to the +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1", (.countMatchesInf, 3)),
        om("_count without _sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2", (.countAndSum, 3)),
        om("a negative _sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum -1", (.counterValue, 4)),
        om("negative buckets without _sum", "# TYPE h histogram\nh_bucket{le=\"-1\"} 1\nh_bucket{le=\"+Inf\"} 2"),
        om("negative buckets with _sum", "# TYPE h histogram\nh_bucket{le=\"-1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 1", (.sumWithNegativeBuckets, 5)),
        // Summaries, statesets, info
        om("a quantile above 1", "# TYPE s summary\ns{quantile=\"1.5\"} 1", (.quantileLabel, 2)),
        om("a negative quantile value", "# TYPE s summary\ns{quantile=\"0.5\"} -1", (.quantileLabel, 2)),
        om("a stateset value of 2", "# TYPE s stateset\ns{s=\"a\"} 2", (.statesetValue, 2)),
        om("a stateset sample without its label", "# TYPE s stateset\ns{x=\"a\"} 1", (.statesetValue, 2)),
        om("an info value of 2", "# TYPE i info\ni_info{v=\"1\"} 2", (.infoValue, 2)),
        // Units
        om("a unit the name ends with", "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1"),
        om("a unit the name does not end with", "# TYPE a_seconds gauge\n# UNIT a_seconds bytes\na_seconds 1", (.unit, 2)),
        // Exemplars
        om("exemplars on a counter and a bucket", """
            # TYPE a counter
            a_total 1 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 1 1.7e9
            # TYPE h histogram
            h_bucket{le="0.1"} 1 # {trace_id="x",span_id="y"} 0.042
            h_bucket{le="+Inf"} 1
            h_count 1
            h_sum 0.042
            """),
        om("an exemplar after a timestamp", "# TYPE a counter\na_total 1 2 # {t=\"x\"} 1"),
        om("an exemplar on a gauge", "# TYPE g gauge\ng 1 # {t=\"x\"} 1", (.exemplar, 2)),
        om("exemplar labels of 129 characters", "# TYPE a counter\na_total 1 # {t=\"\(String(repeating: "x", count: 128))\"} 1", (.exemplar, 2)),
        om("exemplar labels of 128 characters", "# TYPE a counter\na_total 1 # {t=\"\(String(repeating: "x", count: 127))\"} 1"),
        // The end
        omRaw("# EOF without a final line feed", "a 1\n# EOF"),
        omRaw("a blank line", "a 1\n\n# EOF\n", (.blankLine, 2)),
        omRaw("text after # EOF", "a 1\n# EOF\na 2\n", (.afterEOF, 3)),
        omRaw("no # EOF", "a 1\n", (.missingEOF, 1)),
    ]

    static let prometheusText: [RuleCase] = [
        text("a UTF-8 label value", "a{b=\"ünïcødé ✓\"} 1\n"),
        RuleCase(name: "a HELP text that is not UTF-8", dialect: .prometheusText,
                 bytes: Array("# HELP a ".utf8) + [0xC3] + Array("\na 1\n".utf8), refusal: (.utf8, 1)),
        text("comments, blank lines, blanks and tabs", "# a comment\n\n  a{b = \"1\" ,}\t1  \n"),
        text("CRLF line ends and no final line feed", "a 1\r\nb 2"),
        text("an unknown escape kept as written", #"a{b="\x"} 1"# + "\n"),
        text("an HTML page", "<!DOCTYPE html>\n", (.lineSyntax, 1)),
        text("a missing value", "a{b=\"1\"}\n", (.lineSyntax, 1)),
        text("a label named twice", "a{b=\"1\",b=\"2\"} 1\n", (.duplicateLabel, 1)),
        text("an untyped family", "# TYPE a untyped\na 1\n"),
        text("TYPE info (an OpenMetrics type)", "# TYPE a info\na 1\n", (.metricType, 1)),
        text("a timestamp in milliseconds", "a 1 1700000000000\n"),
        text("a timestamp in float seconds", "a 1 1.5\n", (.timestamp, 1)),
        text("an exemplar", "# TYPE a_total counter\na_total 1 # {t=\"x\"} 1\n", (.timestamp, 2)),
        text("a second TYPE", "# TYPE a gauge\n# TYPE a gauge\na 1\n", (.metadataOnce, 2)),
        text("TYPE after samples", "a 1\n# TYPE a gauge\n", (.metadataFirst, 2)),
        text("a family resumed after another", "# TYPE a gauge\na{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n", (.familiesContiguous, 4)),
        text("a gauge named like a histogram's count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n# TYPE h_count gauge\nh_count 1\n", (.nameClash, 5)),
        text("a series twice", "a{b=\"1\"} 1\na{b=\"1\"} 2\n", (.duplicateSeries, 2)),
        text("a counter", "# TYPE a_total counter\na_total 3\n"),
        text("a negative counter", "# TYPE a_total counter\na_total -3\n", (.counterValue, 2)),
        text("a histogram", "# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 2.5\nh_count 3\n"),
        text("buckets out of order", "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", (.bucketOrder, 3)),
        text("buckets not cumulative", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n", (.cumulativeBuckets, 3)),
        text("no +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n", (.infBucket, 2)),
        text("_count unequal to the +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n", (.countMatchesInf, 3)),
        text("a summary", "# TYPE s summary\ns{quantile=\"0.5\"} NaN\ns_sum 0\ns_count 0\n"),
        text("a summary quantile without its label", "# TYPE s summary\ns 1\n", (.quantileLabel, 2)),
    ]

    static let all = openMetrics + prometheusText
}
