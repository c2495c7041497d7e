import AgentTelemetry
import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryPrometheus

/// Each test states one rule of the text exposition format with the exact bytes it requires.
@Suite("Prometheus text 0.0.4 encoding")
struct EncoderTests {
    func render(_ format: ExpositionFormat = .prometheusText, _ build: (MetricRegistry) throws -> Void) rethrows -> String {
        let registry = MetricRegistry()
        try build(registry)
        var snapshot = registry.snapshot()
        // Creation times are wall-clock; pin them so OpenMetrics `_created` lines are predictable.
        for f in snapshot.families.indices {
            for s in snapshot.families[f].series.indices { snapshot.families[f].series[s].startNanoseconds = 1_700_000_000_500_000_000 }
        }
        return String(decoding: PrometheusTextEncoder(format: format).encode(snapshot), as: UTF8.self)
    }

    @Test("a counter has HELP and TYPE once, then one line per series")
    func counterFamily() throws {
        let text = try render { r in
            let f = try r.counter("jobs_total", help: "Jobs done.", labelNames: ["kind"])
            f.labels(["a"]).increment(by: 3)
            f.labels(["b"]).increment()
        }
        #expect(text == "# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total{kind=\"a\"} 3\njobs_total{kind=\"b\"} 1\n")
    }

    @Test("a series without labels has no braces")
    func noLabels() throws {
        let text = try render { r in try r.gauge("temperature", help: "t").series.set(21.5) }
        #expect(text == "# HELP temperature t\n# TYPE temperature gauge\ntemperature 21.5\n")
    }

    @Test("histograms: cumulative _bucket lines ending with le=\"+Inf\" equal to _count, then _sum and _count")
    func histogramLayout() throws {
        let text = try render { r in
            let h = try r.histogram("latency_seconds", help: "L.", labelNames: ["op"], buckets: [0.1, 1, 2.5]).labels(["x"])
            for v in [0.05, 0.5, 0.7, 3] { h.observe(v) }
        }
        #expect(text == """
        # HELP latency_seconds L.
        # TYPE latency_seconds histogram
        latency_seconds_bucket{op="x",le="0.1"} 1
        latency_seconds_bucket{op="x",le="1"} 3
        latency_seconds_bucket{op="x",le="2.5"} 3
        latency_seconds_bucket{op="x",le="+Inf"} 4
        latency_seconds_sum{op="x"} 4.25
        latency_seconds_count{op="x"} 4

        """)
    }

    @Test("an unlabelled histogram puts le alone in the braces")
    func unlabelledHistogram() throws {
        let text = try render { r in try r.histogram("h", help: "h", buckets: [1]).series.observe(2) }
        #expect(text.contains("h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\n"))
    }

    @Test("label values escape backslash, double quote and newline")
    func labelValueEscaping() throws {
        let text = try render { r in try r.counter("c_total", help: "h", labelNames: ["v"]).labels(["a\\b\"c\nd"]).increment() }
        #expect(text.hasSuffix("c_total{v=\"a\\\\b\\\"c\\nd\"} 1\n"))
    }

    @Test("HELP escapes backslash and newline but not double quotes")
    func helpEscaping() throws {
        let text = try render { r in try r.gauge("g", help: "line1\nC:\\path \"quoted\"").series.set(1) }
        #expect(text.hasPrefix("# HELP g line1\\nC:\\\\path \"quoted\"\n"))
    }

    @Test("special values are spelled +Inf, -Inf and NaN")
    func specialValues() throws {
        let text = try render { r in
            let f = try r.gauge("g", help: "h", labelNames: ["k"])
            f.labels(["pinf"]).set(.infinity)
            f.labels(["ninf"]).set(-.infinity)
            let h = try r.histogram("h", help: "h", buckets: [1]).series
            h.observe(.infinity)  // refused and counted: a histogram's sum never becomes infinite
        }
        #expect(text.contains("g{k=\"pinf\"} +Inf\n"))
        #expect(text.contains("g{k=\"ninf\"} -Inf\n"))
        #expect(text.contains("h_sum 0\n") && text.contains("h_count 0\n"))
        #expect(text.contains("agent_telemetry_metric_rejected_updates_total{metric=\"h\",reason=\"invalid_value\"} 1\n"))
        let snapshot = MetricsSnapshot(timestampNanoseconds: 0, families: [
            FamilySnapshot(info: MetricFamilyInfo(name: "n", help: "h", type: .gauge, unit: nil, labelNames: []),
                           series: [SeriesSnapshot(id: 1, labels: .empty, value: .gauge(.nan), startNanoseconds: 0)]),
        ])
        #expect(String(decoding: PrometheusTextEncoder().encode(snapshot), as: UTF8.self).hasSuffix("n NaN\n"))
    }

    @Test("numbers: integers without a fraction, others in shortest round-trip form, negatives signed")
    func numbers() {
        func f(_ v: Double) -> String { var o: [UInt8] = []; NumberFormatting.appendDouble(v, to: &o); return String(decoding: o, as: UTF8.self) }
        #expect(f(0) == "0")
        #expect(f(-0.0) == "0")
        #expect(f(42) == "42")
        #expect(f(-7) == "-7")
        #expect(f(0.25) == "0.25")
        #expect(f(1e-05) == "1e-05")
        #expect(f(1.8446744073709552e19) == "1.8446744073709552e+19")
        #expect(Double(f(123456.789)) == 123456.789)
    }

    @Test("families come sorted by name and families without series are left out")
    func familyOrder() throws {
        let text = try render { r in
            try r.gauge("zeta", help: "z").series.set(1)
            _ = try r.counter("empty_total", help: "e", labelNames: ["k"])
            try r.gauge("alpha", help: "a").series.set(2)
        }
        #expect(text == "# HELP alpha a\n# TYPE alpha gauge\nalpha 2\n# HELP zeta z\n# TYPE zeta gauge\nzeta 1\n")
    }

    @Test("invalid UTF-8 in a label value becomes U+FFFD, never an unparseable body")
    func invalidUTF8() throws {
        let bad = String(decoding: [0x61, 0xFF, 0xFE, 0x62], as: UTF8.self)
        let text = try render { r in try r.counter("c_total", help: "h", labelNames: ["v"]).labels([bad]).increment() }
        #expect(text.hasSuffix("c_total{v=\"a\u{FFFD}\u{FFFD}b\"} 1\n"))
    }
}

@Suite("Live rendering")
struct LiveRenderingTests {
    @Test("rendering the live registry gives the same bytes as rendering a snapshot, in both formats", arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func liveEqualsSnapshot(format: ExpositionFormat) throws {
        let r = MetricRegistry(cardinalityLimit: 3)
        let c = try r.counter("b_total", help: "B \\ \"c\"\nd", labelNames: ["k"])
        for v in ["x", "y\"z", "new\nline", "over", "flow"] { c.labels([v]).increment(by: 2) }
        c.labels(["x"]).increment(by: -1)
        try r.gauge("a_level", help: "A.").series.set(-3.5)
        let h = try r.histogram("c_seconds", help: "C.", labelNames: ["op"], buckets: [0.1, 1])
        for v in [0.05, 0.5, 5] { h.labels(["read"]).observe(v) }
        _ = try r.counter("d_empty_total", help: "never used", labelNames: ["k"])
        var live: [UInt8] = []
        let encoder = PrometheusTextEncoder(format: format)
        encoder.encode(registry: r, into: &live)
        let fromSnapshot = encoder.encode(r.snapshot())
        #expect(String(decoding: live, as: UTF8.self) == String(decoding: fromSnapshot, as: UTF8.self))
        // The registry's own health families are rendered in their sorted place.
        #expect(String(decoding: live, as: UTF8.self).contains("agent_telemetry_metric_overflow_total{metric=\"b_total\"} 2"))
    }
}

@Suite("OpenMetrics 1.0 encoding")
struct OpenMetricsEncoderTests {
    let enc = EncoderTests()

    @Test("counters are declared without _total, sampled with _total and _created, and the body ends with # EOF")
    func counter() throws {
        let text = try enc.render(.openMetrics) { r in try r.counter("jobs_total", help: "Jobs \"done\".").series.increment(by: 2) }
        #expect(text == """
        # HELP jobs Jobs \\"done\\".
        # TYPE jobs counter
        jobs_total 2
        jobs_created 1700000000.5
        # EOF

        """)
    }

    @Test("a histogram with negative bucket thresholds exposes no _sum in OpenMetrics")
    func negativeBucketsNoSum() throws {
        let text = try enc.render(.openMetrics) { r in try r.histogram("temp_delta", help: "h", buckets: [-1, 0, 1]).series.observe(-0.5) }
        #expect(!text.contains("temp_delta_sum"))
        #expect(text.contains("temp_delta_count 1\n"))
    }

    @Test("histogram le values are canonical floats and _created follows _count")
    func histogram() throws {
        let text = try enc.render(.openMetrics) { r in try r.histogram("h_seconds", help: "h", buckets: [1, 2.5]).series.observe(2) }
        #expect(text == """
        # HELP h_seconds h
        # TYPE h_seconds histogram
        h_seconds_bucket{le="1.0"} 0
        h_seconds_bucket{le="2.5"} 1
        h_seconds_bucket{le="+Inf"} 1
        h_seconds_sum 2
        h_seconds_count 1
        h_seconds_created 1700000000.5
        # EOF

        """)
    }

    @Test("Accept negotiation picks OpenMetrics only when asked for with q > 0")
    func negotiation() {
        #expect(ExpositionFormat.negotiate(accept: nil) == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "text/plain") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5") == .openMetrics)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text; q=0, text/plain") == .prometheusText)
        // Relative preference decides, parameter names are case-insensitive, a bad q is 0.
        #expect(ExpositionFormat.negotiate(accept: "text/plain;version=0.0.4;q=1, application/openmetrics-text;q=0.1") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;Q=0.9, */*;q=0.1") == .openMetrics)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=banana, text/plain;q=0.1") == .prometheusText)
        // What Prometheus 2.x sends when it prefers OpenMetrics.
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1") == .openMetrics)
        #expect(PrometheusExporter.acceptsGzip(["deflate, gzip;q=0.5"]))
        #expect(!PrometheusExporter.acceptsGzip(["gzip;Q=0, *"]))
        #expect(PrometheusExporter.acceptsGzip(["*"]))
        #expect(!PrometheusExporter.acceptsGzip(["identity"]))
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}

@Suite("Rendering through the scratch block")
struct ScratchBlockTests {
    @Test("a scrape many times larger than the 16 KB scratch block has every line, in order")
    func largeScrape() throws {
        let r = MetricRegistry(cardinalityLimit: 10_000)
        let c = try r.counter("big_total", help: "Big.", labelNames: ["path"])
        var expected = "# HELP big_total Big.\n# TYPE big_total counter\n"
        for i in 0..<3_000 {
            c.labels(["/item/\(i)"]).increment(by: i)
            expected += "big_total{path=\"/item/\(i)\"} \(i)\n"
        }
        var out: [UInt8] = Array("prefix\n".utf8)  // what the caller had is kept
        PrometheusTextEncoder().encode(registry: r, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "prefix\n" + expected)
    }

    @Test("a label value longer than the scratch block is written whole")
    func hugeLabelValue() throws {
        let r = MetricRegistry()
        let value = String(repeating: "v", count: 40_000)
        try r.counter("long_total", help: "L.", labelNames: ["k"]).labels([value]).increment(by: 7)
        var out: [UInt8] = []
        PrometheusTextEncoder().encode(registry: r, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "# HELP long_total L.\n# TYPE long_total counter\nlong_total{k=\"\(value)\"} 7\n")
    }

    @Test("OpenMetrics _created is the creation time in exact decimal seconds", arguments: [
        (UInt64(1_700_000_000_000_000_001), "1700000000.000000001"),
        (UInt64(1_700_000_000_000_000_000), "1700000000"),
        (UInt64(1_700_000_000_120_000_000), "1700000000.12"),
        (UInt64(999_999_999), "0.999999999"),
    ])
    func createdExact(nanoseconds: UInt64, text: String) throws {
        let r = MetricRegistry()
        try r.counter("jobs_total", help: "J.").series.increment()
        var snapshot = r.snapshot()
        let f = try #require(snapshot.families.firstIndex { $0.info.name == "jobs_total" })
        snapshot.families[f].series[0].startNanoseconds = nanoseconds
        let out = String(decoding: PrometheusTextEncoder(format: .openMetrics).encode(snapshot), as: UTF8.self)
        #expect(out.contains("\njobs_created \(text)\n"))
    }

    @Test("counter values keep their exact text: integers, fractions, and integers beyond 2^53")
    func counterValues() throws {
        let r = MetricRegistry()
        let f = try r.counter("v_total", help: "V.", labelNames: ["k"])
        f.labels(["int"]).increment(by: 12_345)
        f.labels(["frac"]).increment(by: 0.25)
        f.labels(["big"]).increment(by: Int(1) << 54)
        var out: [UInt8] = []
        PrometheusTextEncoder().encode(registry: r, into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains("v_total{k=\"int\"} 12345\n"))
        #expect(text.contains("v_total{k=\"frac\"} 0.25\n"))
        #expect(text.contains("v_total{k=\"big\"} 1.8014398509481984e+16\n"))
    }
}
