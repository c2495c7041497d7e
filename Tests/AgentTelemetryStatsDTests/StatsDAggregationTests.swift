import AgentTelemetry
import AgentTelemetryStatsD
import AgentTelemetryTestSupport
import Testing

/// The default, aggregated mode: one line per counter and gauge series and flush, histogram values
/// packed, totals exact. A flush interval of an hour and explicit `flush()` calls make each flush a
/// step of the test rather than a moment in time.
@Suite("StatsD exporter, aggregated")
struct StatsDAggregationTests {
    /// Sum of the values of `name`'s counter lines per tag set (DogStatsD: `name:v|c|#tags`).
    static func counterSums(_ lines: [String], _ name: String) -> [String: Double] {
        var sums: [String: Double] = [:]
        for line in lines where line.hasPrefix(name + ":") {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[1] == "c", let value = Double(parts[0].dropFirst(name.count + 1)) else { continue }
            sums[parts.count > 2 ? String(parts[2]) : "", default: 0] += value
        }
        return sums
    }

    @Test("one line per series and flush: the counter's sum, the gauge's last value, the histogram's values packed")
    func oneLinePerSeriesAndFlush() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .dogStatsD, flushInterval: .seconds(3600)))
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["tool"])
        let depth = try registry.gauge("depth", help: "h")
        let duration = try registry.histogram("duration_seconds", help: "h", unit: .seconds)
        let tokens = try registry.histogram("tokens", help: "h", unit: .tokens, buckets: [1, 10])

        var first: [String] = []
        var second: [String] = []
        try await withRunning(exporter) {
            for _ in 0..<500 { calls.labels("search").increment() }
            calls.labels("sql").increment(by: 2.5)
            for value in [3.0, 7, -2] { depth.labels().set(value) }
            for ms in [12.0, 40, 250] { duration.labels().observe(ms / 1000) }
            tokens.labels().observe(17)
            await exporter.flush()
            first = lines(of: await receiver.collect { lines(of: $0).count >= 6 })
            // Nothing changed since: the next flush sends nothing but what changes now.
            calls.labels("sql").increment()
            await exporter.flush()
            second = lines(of: await receiver.collect { !$0.isEmpty })
        }
        #expect(first == [
            "calls_total:500|c|#tool:search",
            "calls_total:2.5|c|#tool:sql",
            "depth:0|g",
            "depth:-2|g",
            "duration:12:40:250|ms",
            "tokens:17|h",
        ])
        #expect(second == ["calls_total:1|c|#tool:sql"])
        #expect(calls.labels("search").value == 500)
    }

    @Test("many producers: the sums received equal the registry's totals exactly")
    func exactTotalsUnderConcurrency() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .dogStatsD, flushInterval: .milliseconds(10)))
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["n"])
        var received: [String] = []
        try await withRunning(exporter) {
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<8 {
                    group.addTask {
                        for i in 0..<5000 { calls.labels("v\((producer + i) % 5)").increment(by: Double(i % 3 + 1)) }
                    }
                }
            }
            await exporter.flush()
            let expected = (0..<5).map { calls.labels("v\($0)").value }.reduce(0, +)
            received = lines(of: await receiver.collect(timeout: .seconds(60)) {
                Self.counterSums(lines(of: $0), "calls_total").values.reduce(0, +) >= expected
            })
        }
        let sums = Self.counterSums(received, "calls_total")
        for n in 0..<5 {
            #expect(sums["#n:v\(n)"] == calls.labels("v\(n)").value, "v\(n)")
        }
        var emitted = 0.0
        for i in 0..<5000 { emitted += Double(i % 3 + 1) }
        let total = sums.values.reduce(0, +)
        #expect(total == 8 * emitted)
    }

    @Test("etsy and Telegraf have no multi-value lines: one line per histogram value; DogStatsD packs within the datagram limit")
    func histogramPacking() {
        let info = MetricFamilyInfo(name: "latency_seconds", help: "h", type: .histogram, unit: .seconds, labelNames: [], buckets: [1])
        let values = (1...300).map { Double($0) / 1000 }
        for flavour in [StatsDFlavour.etsy, .telegraf] {
            let e = StatsDLineEncoder(flavour: flavour)
            let out = e.observationLines(e.render(info: info, labels: .empty), values: values, maxLineBytes: 64)
            #expect(out.count == 300)
            #expect(out.first.map { String(decoding: $0, as: UTF8.self) } == "latency:1|ms")
        }
        let d = StatsDLineEncoder(flavour: .dogStatsD, constantTags: ["env": "prod"])
        let packed = d.observationLines(d.render(info: info, labels: .empty), values: values, sampleRate: 0.5, maxLineBytes: 64)
        let text = packed.map { String(decoding: $0, as: UTF8.self) }
        #expect(packed.count > 1)
        #expect(packed.allSatisfy { $0.count <= 64 }, "\(text.filter { $0.utf8.count > 64 })")
        #expect(text.allSatisfy { $0.hasPrefix("latency:") && $0.hasSuffix("|ms|@0.5|#env:prod") })
        // Every value once, in order.
        let sent = text.flatMap { $0.dropFirst("latency:".count).split(separator: "|")[0].split(separator: ":").compactMap { Double($0) } }
        #expect(sent == (1...300).map(Double.init))
    }

    @Test("histogram values waiting for a flush are bounded by queue_capacity; the rest are dropped and counted")
    func boundedPendingValues() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .etsy, maxPacketSize: 60000, flushInterval: .seconds(3600), queueCapacity: 10))
        let sizes = try registry.histogram("size", help: "h", unit: .bytes, buckets: [1])
        let calls = try registry.counter("calls_total", help: "h")
        var received: [String] = []
        try await withRunning(exporter) {
            // The sender, woken at half the capacity, may send early; it never holds more than 10.
            for i in 0..<100 { sizes.labels().observe(Double(i)) }
            for _ in 0..<10_000 { calls.labels().increment() }
            await exporter.flush()
            received = lines(of: await receiver.collect { lines(of: $0).contains("calls_total:10000|c") })
        }
        let sent = received.filter { $0.hasPrefix("size:") }.count
        let dropped = registry.sumOfSeries("agent_telemetry_statsd_lines_dropped_total", matching: ["reason": "queue_full"])
        #expect(sent >= 10 && sent <= 100)
        #expect(Double(sent) + dropped == 100, "sent \(sent), dropped \(dropped)")
        // The counter is one line whatever the number of increments, so it is never dropped.
        #expect(received.filter { $0.hasPrefix("calls_total:") } == ["calls_total:10000|c"])
    }
}
