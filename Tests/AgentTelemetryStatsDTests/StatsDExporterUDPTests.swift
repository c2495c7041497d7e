import AgentTelemetry
import AgentTelemetryTesting
@testable import AgentTelemetryStatsD
import AgentTelemetryTestSupport
import Testing

/// The exporter against a real UDP socket that parses what arrives.
/// Most cases send a line per update (`aggregation: false`), the mode whose lines they check one
/// by one; StatsDAggregationTests covers the default, aggregated mode.
@Suite("StatsD exporter over UDP")
struct StatsDExporterUDPTests {
    @Test func dogStatsDLinesArriveWithTagsAndTheExportersOwnMetricsDoNot() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .dogStatsD, prefix: "myagent.", constantTags: ["env": "test"], aggregation: false))
        let calls = try registry.counter("agent_tool_calls_total", help: "h", labelNames: ["tool"])
        let depth = try registry.gauge("agent_queue_depth", help: "h")
        let duration = try registry.histogram("agent_tool_duration_seconds", help: "h", unit: .seconds, labelNames: ["tool"])
        let tokens = try registry.histogram("agent_tokens", help: "h", unit: .tokens, buckets: [1, 10])
        let marker = try registry.gauge("marker", help: "h")

        var received: [String] = []
        var afterwards: [String] = []
        try await withRunning(exporter) {
            calls.labels("search").increment()
            calls.labels("search").increment(by: 2)
            depth.labels().set(-3)
            duration.labels("search").observe(0.042)
            tokens.labels().observe(17)
            received = lines(of: await receiver.collect { lines(of: $0).count >= 6 })
            // The sends were counted; a line for those counts would now be queued before a marker.
            // The marker arriving with nothing before it proves none is on its way.
            #expect(await eventually { registry.sumOfSeries("agent_telemetry_statsd_lines_sent_total") == 6 })
            marker.labels().set(1)
            afterwards = lines(of: await receiver.collect { lines(of: $0).contains("myagent.marker:1|g|#env:test") })
        }
        #expect(afterwards == ["myagent.marker:1|g|#env:test"])
        #expect(received == [
            "myagent.agent_tool_calls_total:1|c|#env:test,tool:search",
            "myagent.agent_tool_calls_total:2|c|#env:test,tool:search",
            "myagent.agent_queue_depth:0|g|#env:test",
            "myagent.agent_queue_depth:-3|g|#env:test",
            "myagent.agent_tool_duration:42|ms|#env:test,tool:search",
            "myagent.agent_tokens:17|h|#env:test",
        ])
        // The sends were counted in the registry (the six and the marker), and those counts were never sent themselves.
        #expect(await eventually { registry.sumOfSeries("agent_telemetry_statsd_lines_sent_total") == 7 })
        #expect(registry.sumOfSeries("agent_telemetry_statsd_datagrams_sent_total") >= 1)
        #expect((received + afterwards + lines(of: receiver.receiveAvailable())).filter { $0.contains("agent_telemetry_statsd") }.isEmpty)
    }

    @Test func telegrafLinesArriveWithInfluxTags() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .telegraf, constantTags: ["host": "a b"]))
        let calls = try registry.counter("agent_tool_calls_total", help: "h", labelNames: ["tool", "status"])
        let duration = try registry.histogram("agent_tool_duration_seconds", help: "h", unit: .seconds)

        var received: [String] = []
        try await withRunning(exporter) {
            calls.labels("web=search", "ok").increment(by: 5)
            duration.labels().observe(1.5)
            received = lines(of: await receiver.collect { lines(of: $0).count >= 2 })
        }
        // Parse each line the way Telegraf's statsd input does: name[,tags]:value|type.
        let parsed = received.map { line -> (String, [String: String], String, String) in
            let (head, rest) = (line.split(separator: ":", maxSplits: 1).map(String.init)[0], line.split(separator: ":", maxSplits: 1).map(String.init)[1])
            let parts = head.split(separator: ",").map(String.init)
            var tags: [String: String] = [:]
            for tag in parts.dropFirst() {
                let kv = tag.split(separator: "=", maxSplits: 1).map(String.init)
                tags[kv[0]] = kv.count > 1 ? kv[1] : ""
            }
            let fields = rest.split(separator: "|").map(String.init)
            return (parts[0], tags, fields[0], fields[1])
        }
        try #require(parsed.count == 2, "\(received)")
        #expect(parsed[0].0 == "agent_tool_calls_total")
        #expect(parsed[0].1 == ["host": "a_b", "tool": "web_search", "status": "ok"])
        #expect(parsed[0].2 == "5" && parsed[0].3 == "c")
        #expect(parsed[1].0 == "agent_tool_duration")
        #expect(parsed[1].1 == ["host": "a_b"])
        #expect(parsed[1].2 == "1500" && parsed[1].3 == "ms")
    }

    @Test func samplingSendsAboutRateOfTheUpdatesMarkedWithTheRateAndNeverSamplesGauges() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .etsy, sampleRate: 0.25, aggregation: false))
        let calls = try registry.counter("calls_total", help: "h")
        let depth = try registry.gauge("depth", help: "h")
        let marker = try registry.gauge("marker", help: "h")

        var received: [String] = []
        try await withRunning(exporter) {
            for i in 0..<2000 {
                calls.labels().increment()
                if i < 50 { depth.labels().set(Double(i)) }
                if i % 200 == 0 { await exporter.flush() }
            }
            await exporter.flush()
            received = lines(of: await receiver.collect(timeout: .seconds(180)) { lines(of: $0).filter { $0.hasPrefix("depth:49") }.count == 1 })
            // A marker queued after every update: once it arrived, every line before it has too.
            marker.labels().set(1)
            await exporter.flush()
            received += lines(of: await receiver.collect { lines(of: $0).contains("marker:1|g") })
            #expect(received.last == "marker:1|g")
        }
        let counterLines = received.filter { $0.hasPrefix("calls_total:") }
        #expect(counterLines.allSatisfy { $0 == "calls_total:1|c|@0.25" })
        // 2000 × 0.25 = 500 expected; ±150 is more than 8 standard deviations.
        #expect((350...650).contains(counterLines.count), "got \(counterLines.count) sampled lines")
        #expect(received.filter { $0.hasPrefix("depth:") } == (0..<50).map { "depth:\($0)|g" })
    }

    @Test func sendingToAClosedPortIsCountedAndTheExporterKeepsSending() async throws {
        let port = try TestDatagramReceiver.closedUDPPort()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(port: port, flushInterval: .milliseconds(20)))
        let calls = try registry.counter("calls_total", help: "h")

        try await withRunning(exporter) {
            // Nothing listens: the kernel answers with ICMP port unreachable, seen as ECONNREFUSED.
            let counted = await eventually {
                calls.labels().increment()
                await exporter.flush()
                return registry.sumOfSeries("agent_telemetry_statsd_send_errors_total") >= 1
            }
            #expect(counted, "ECONNREFUSED was not counted")

            // A server appears on that port: the same exporter delivers to it.
            let receiver = try TestDatagramReceiver.udp(port: port)
            let marker = try registry.gauge("marker", help: "h")
            let delivered = await eventually {
                marker.labels().set(42)
                await exporter.flush()
                return lines(of: receiver.receiveAvailable()).contains("marker:42|g")
            }
            #expect(delivered, "exporter stopped sending after send errors")
        }
    }

    @Test func aFullQueueDropsAndCountsWithoutBlockingTheCaller() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        // A long interval and a large datagram limit: nothing leaves until flush() is called.
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, maxPacketSize: 60000, flushInterval: .seconds(3600), queueCapacity: 10, aggregation: false))
        let calls = try registry.counter("calls_total", help: "h")

        var received: [String] = []
        try await withRunning(exporter) {
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for _ in 0..<10_000 { calls.labels().increment() }
            }
            // A hang guard, not a speed test: a caller blocked by the full queue would wait for
            // the hour-long flush interval.
            #expect(elapsed < .seconds(60), "updates took \(elapsed)")
            await exporter.flush()
            received = lines(of: await receiver.collect { lines(of: $0).count >= 10 })
        }
        #expect(received == Array(repeating: "calls_total:1|c", count: 10))
        #expect(registry.sumOfSeries("agent_telemetry_statsd_lines_dropped_total", matching: ["reason": "queue_full"]) == 9990)
        #expect(calls.labels().value == 10_000)
    }

    @Test func aLineLongerThanTheDatagramLimitIsDroppedAndCounted() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .dogStatsD, maxPacketSize: 64))
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["q"])

        var received: [String] = []
        try await withRunning(exporter) {
            calls.labels(String(repeating: "x", count: 100)).increment()
            calls.labels("short").increment()
            received = lines(of: await receiver.collect { lines(of: $0).count >= 1 })
        }
        #expect(received == ["calls_total:1|c|#q:short"])
        #expect(registry.sumOfSeries("agent_telemetry_statsd_lines_dropped_total", matching: ["reason": "too_long"]) == 1)
    }

    @Test func shutdownSendsWhatIsStillQueued() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flushInterval: .seconds(3600)))
        let calls = try registry.counter("calls_total", help: "h")
        try await withRunning(exporter) {
            calls.labels().increment(by: 7)
        }
        let received = lines(of: await receiver.collect { !$0.isEmpty })
        #expect(received == ["calls_total:7|c"])
    }

    @Test func datagramsFromManyUpdatesStayWithinTheLimit() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(registry: registry, configuration: StatsDConfiguration(
            port: receiver.port, flavour: .dogStatsD, maxPacketSize: 512, queueCapacity: 100_000, aggregation: false))
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["n"])
        var datagrams: [[UInt8]] = []
        try await withRunning(exporter) {
            for i in 0..<3000 { calls.labels("v\(i % 37)").increment(by: i % 5 + 1) }
            datagrams = await receiver.collect { lines(of: $0).count >= 3000 }
        }
        #expect(datagrams.allSatisfy { $0.count <= 512 })
        let got = lines(of: datagrams)
        #expect(got == (0..<3000).map { "calls_total:\($0 % 5 + 1)|c|#n:v\($0 % 37)" })
    }

    @Test func runningTwiceIsRefused() async throws {
        let receiver = try TestDatagramReceiver.udp()
        let exporter = try StatsDExporter(registry: MetricRegistry(), configuration: StatsDConfiguration(port: receiver.port))
        try await withRunning(exporter) {}
        await #expect(throws: StatsDExporterError.alreadyRunning) { try await exporter.run() }
    }

    @Test func invalidConfigurationIsRejectedAtInit() {
        #expect(throws: ConfigurationIssues([StatsDConfigurationError.invalidPort(99999).issue])) {
            _ = try StatsDExporter(registry: MetricRegistry(), configuration: StatsDConfiguration(port: 99999))
        }
    }
}
