import AgentTelemetry
import AgentTelemetryOTLP
import Foundation
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing

/// Faults from the issue: retryable statuses, Retry-After, a collector that is down, refusals.
@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPFaultTests {
    /// Small backoff, so that tests about retry logic do not wait; a generous export timeout,
    /// so that a loaded machine (a slow receiver) never turns a retry into a give-up. Tests about
    /// giving up pass a short `timeout` of their own.
    static func configuration(_ endpoint: String, _ temporality: OTLPTemporality = .cumulative,
                              timeout: Duration = .seconds(60)) -> OTLPExporterConfiguration {
        OTLPExporterConfiguration(endpoint: endpoint, temporality: temporality, timeout: timeout,
                                  initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100))
    }

    @Test func twoServiceUnavailableThenOKDeliversOnceAndComplete() async throws {
        let receiver = try await OTLPReceiver(script: "503,503,200")
        let registry = MetricRegistry()
        let calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.", labelNames: ["tool"])
        for i in 0..<50 { calls.increment(by: i + 1, labels: ["tool-\(i)"]) }
        let exporter = try OTLPExporter(registry: registry, configuration: Self.configuration(receiver.endpoint))
        try await exporter.forceFlush()
        // The receiver records a request before answering it: all three are there once the flush returned.
        let records = receiver.records()
        #expect(records.map { $0["status"] as? Int } == [503, 503, 200])
        let accepted = Decoded.acceptedRequests(records)
        #expect(accepted.count == 1)
        let metric = try Decoded.requiredMetric("agent_tool_calls", in: accepted)
        #expect(Decoded.points(metric).count == 50)
        for i in 0..<50 {
            #expect(Decoded.double(try Decoded.requiredPoint(metric, ["tool": "tool-\(i)"]), "as_double") == Double(i + 1))
        }
        #expect(registry.sumOfSeries("agent_telemetry_otlp_retries_total") == 2)
        #expect(registry.sumOfSeries("agent_telemetry_otlp_exports_total", matching: ["result": "success"]) == 1)
        #expect(registry.sumOfSeries("agent_telemetry_otlp_exports_total", matching: ["result": "failure"]) == 0)
        #expect(registry.sumOfSeries("agent_telemetry_otlp_last_success_timestamp_seconds") > 1_700_000_000)
    }

    @Test func tooManyRequestsWithRetryAfterOneSecondWaits() async throws {
        let receiver = try await OTLPReceiver(script: "429:retry-after=1,200")
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment()
        try await OTLPExporter(registry: registry, configuration: Self.configuration(receiver.endpoint)).forceFlush()
        let records = receiver.records()
        try #require(records.count == 2)
        let gap = try #require(records[1]["time"] as? Double) - (try #require(records[0]["time"] as? Double))
        #expect(gap >= 0.95, "backoff was \(gap) s; Retry-After asked for 1 s")
        #expect(records[1]["status"] as? Int == 200)
    }

    @Test func retryAfterBeyondTheTimeoutGivesUpInsteadOfOverrunning() async throws {
        let receiver = try await OTLPReceiver(script: "503:retry-after=300,200")
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment()
        let start = ContinuousClock.now
        await #expect(throws: OTLPExportError.timedOut(lastProblem: "HTTP 503")) {
            // 100 s: room for a slow first answer on a loaded machine (10 s, then 25 s, ran out
            // beside a full parallel test run), still below the 300 s asked.
            try await OTLPExporter(registry: registry, configuration: Self.configuration(receiver.endpoint, timeout: .seconds(100))).forceFlush()
        }
        // Under the 300 s Retry-After: it gave up instead of waiting past its own timeout (which
        // would end it after 300 s).
        #expect(ContinuousClock.now - start < .seconds(150))
        #expect(registry.sumOfSeries("agent_telemetry_otlp_exports_total", matching: ["result": "failure"]) == 1)
    }

    @Test func badRequestIsCountedAndNotRetried() async throws {
        let receiver = try await OTLPReceiver(script: "400,200")
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment()
        let exporter = try OTLPExporter(registry: registry, configuration: Self.configuration(receiver.endpoint))
        await #expect(throws: OTLPExportError.nonRetryableStatus(400, bodyExcerpt: "scripted failure status 400")) {
            try await exporter.forceFlush()
        }
        // A marker export after it: had the 400 been retried, the retry would come before the marker.
        try await exporter.forceFlush()
        #expect(receiver.records().map { $0["status"] as? Int } == [400, 200])
        #expect(registry.sumOfSeries("agent_telemetry_otlp_exports_total", matching: ["result": "failure"]) == 1)
        #expect(registry.sumOfSeries("agent_telemetry_otlp_retries_total") == 0)
    }

    @Test func partialSuccessIsCountedAsRejectedDataPoints() async throws {
        let receiver = try await OTLPReceiver(script: "200:partial=3")
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment()
        try await OTLPExporter(registry: registry, configuration: Self.configuration(receiver.endpoint)).forceFlush()
        #expect(registry.sumOfSeries("agent_telemetry_otlp_rejected_data_points_total") == 3)
    }

    /// A free loopback port, found by letting the receiver pick one and stopping it.
    private func freePort() async throws -> Int {
        let probe = try await OTLPReceiver()
        probe.stop()
        return probe.port
    }

    @Test func collectorDownAtStartLosesNothingWithCumulative() async throws {
        let port = try await freePort()
        let registry = MetricRegistry()
        let calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.")
        let exporter = try OTLPExporter(registry: registry,
                                    configuration: Self.configuration("http://127.0.0.1:\(port)", timeout: .seconds(15)))
        calls.series.increment(by: 5)
        await #expect(throws: OTLPExportError.self) { try await exporter.forceFlush() }
        calls.series.increment(by: 7)
        let receiver = try await OTLPReceiver(port: port)
        try await exporter.forceFlush()
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(1))
        let point = try Decoded.firstPoint(try Decoded.requiredMetric("agent_tool_calls", in: requests))
        #expect(Decoded.double(point, "as_double") == 12)
        #expect(registry.sumOfSeries("agent_telemetry_otlp_exports_total", matching: ["result": "failure"]) == 1)
    }

    // The collector-down tests use a 15 s export timeout: their point is what is counted, not how
    // fast a refused export gives up, and a 2 s timeout ran out on a loaded machine before the
    // (Python) receiver answered a successful export.
    @Test func collectorDownAtStartDoubleCountsNothingWithDelta() async throws {
        let port = try await freePort()
        let registry = MetricRegistry()
        let calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.")
        let latency = try registry.histogram("agent_tool_duration_seconds", help: "Tool time.", unit: .seconds, buckets: [0.1, 1])
        let exporter = try OTLPExporter(registry: registry,
                                    configuration: Self.configuration("http://127.0.0.1:\(port)", .delta, timeout: .seconds(15)))
        calls.series.increment(by: 5)
        latency.series.observe(0.05)
        await #expect(throws: OTLPExportError.self) { try await exporter.forceFlush() }
        calls.series.increment(by: 3)
        latency.series.observe(0.5)
        let receiver = try await OTLPReceiver(port: port)
        try await exporter.forceFlush()
        calls.series.increment(by: 2)
        latency.series.observe(5)
        try await exporter.forceFlush()
        receiver.stop()
        calls.series.increment(by: 1)
        await #expect(throws: OTLPExportError.self) { try await exporter.forceFlush() }
        let again = try await OTLPReceiver(port: port, outFile: receiver.outFile)
        try await exporter.forceFlush()

        let requests = Decoded.acceptedRequests(await again.waitForRecords(3))
        try #require(requests.count == 3)
        let points = try requests.map { try Decoded.firstPoint(try Decoded.requiredMetric("agent_tool_calls", in: [$0])) }
        #expect(points.map { Decoded.double($0, "as_double") } == [8, 2, 1])
        #expect(points.map { Decoded.double($0, "as_double") ?? 0 }.reduce(0, +) == calls.series.value)
        // Each delta starts where the previously accepted one ended: no gap, no overlap.
        for i in 1..<points.count {
            #expect(Decoded.uint64(points[i], "start_time_unix_nano") == Decoded.uint64(points[i - 1], "time_unix_nano"))
        }
        let hist = try requests.map { try Decoded.firstPoint(try Decoded.requiredMetric("agent_tool_duration", in: [$0])) }
        #expect(hist.map { Decoded.uint64($0, "count") ?? 0 } == [2, 1, 0])
        #expect(hist[0]["min"] as? Double == 0.05 && hist[0]["max"] as? Double == 0.5)
    }
}
