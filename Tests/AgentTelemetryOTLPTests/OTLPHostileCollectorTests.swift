import AgentTelemetry
import AgentTelemetryTesting
@testable import AgentTelemetryOTLP
import AgentTelemetryTestSupport
import Foundation
import Testing

/// A collector that misbehaves mid-response (issue 24): it stalls after the head, closes with the
/// body half sent, or sends a message built to forge log lines. The export stays bounded by its
/// timeout, a response that does not arrive whole is not a delivery, and nothing the collector
/// says reaches a log unescaped. The collector is the Python receiver, which decodes every request
/// with the official opentelemetry-proto classes.
@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPHostileCollectorTests {
    /// Runs `body`, or gives up after `guardTime` (a bound against a hang, far above what a passing
    /// run needs; the old code never returned at all).
    static func withHangGuard<T: Sendable>(_ guardTime: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: guardTime)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    @Test("a collector that sends a 200 head and then nothing cannot hold an export past its timeout")
    func stalledResponseIsBoundedByTheTimeout() async throws {
        let receiver = try await OTLPReceiver(script: "200:stall,200:stall,200:stall,200:stall,200:stall,200:stall")
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment(by: 3)
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, timeout: .seconds(2), initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(200)))
        let start = ContinuousClock.now
        let result = try await Self.withHangGuard(.seconds(60)) { () -> OTLPExportError? in
            do { try await exporter.forceFlush() } catch let e as OTLPExportError { return e }
            return nil
        }
        let took = ContinuousClock.now - start
        let problem = try #require(result, "the export was still waiting for the stalled body after 60 s (timeout 2 s)")
        guard case let .timedOut(last) = problem else {
            Issue.record("expected a timed-out export, got \(String(describing: problem))")
            return
        }
        #expect(last.contains("within the export timeout"), "\(last)")
        // The stalled requests reached the collector, but none was answered whole: not delivered.
        #expect(receiver.records().allSatisfy { !Decoded.isAccepted($0) })
        #expect(registry.counterValue("agent_telemetry_otlp_exports_total", ["result": "success"]) == 0)
        #expect(exporter.latestExportOutcome?.isComplete == false)
        let outcome = try #require(exporter.latestExportOutcome)
        #expect(outcome.undeliveredDataPoints == outcome.dataPoints && outcome.dataPoints > 0)
        print("stalled collector: the export with a 2 s timeout returned after \(took)")
    }

    @Test("a 200 whose body is cut short is a failed attempt: retried, logged, and with delta every point is accepted once",
          arguments: OTLPTemporality.allCases)
    func cutShortResponseIsRetried(temporality: OTLPTemporality) async throws {
        let receiver = try await OTLPReceiver(script: "200:cut,200:cut,200:cut")
        let log = LogCapture()
        let registry = MetricRegistry()
        let counter = try registry.counter("agent_llm_requests_total", help: "Requests.").series
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, temporality: temporality, timeout: .seconds(60),
            initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50)), logger: log.logger())
        counter.increment(by: 5)
        try await exporter.forceFlush()  // three cut answers, then one whole: accepted on the fourth attempt
        counter.increment(by: 7)
        try await exporter.forceFlush()

        let records = receiver.records()
        #expect(records.filter { ($0["hostile"] as? String) == "cut" }.count == 3)
        let accepted = Decoded.acceptedRequests(records)
        #expect(accepted.count == 2, "one accepted request per export")
        let values = try accepted.map { request -> Double in
            let point = try Decoded.firstPoint(try Decoded.requiredMetric("agent_llm_requests", in: [request]))
            return try #require(Decoded.double(point, "as_double"))
        }
        switch temporality {
        case .delta: #expect(values == [5, 7], "each delta reached the collector once, none lost to a cut answer")
        case .cumulative: #expect(values == [5, 12])
        }
        #expect(registry.counterValue("agent_telemetry_otlp_retries_total", [:]) == 3)
        #expect(registry.counterValue("agent_telemetry_otlp_exports_total", ["result": "success"]) == 2)
        let warning = try #require(log.warnings.first { $0.message.contains("cut short") }, "a cut answer is logged")
        #expect(warning.line.contains("ended after 10 of 100 body bytes"), "\(warning.line)")
    }

    @Test("a collector's partial-success message cannot forge log lines, colour a terminal or flood the log")
    func partialSuccessMessageIsEscapedAndTruncated() async throws {
        let receiver = try await OTLPReceiver(script: "200:partial=3:hostile-message")
        let log = LogCapture()
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment()
        // The timeout is a hang guard: a Python receiver answering beside the whole suite is slow.
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(endpoint: receiver.endpoint, timeout: .seconds(60)),
                                    logger: log.logger())
        try await exporter.forceFlush()
        let record = try #require(log.warnings.first { $0.message.contains("rejected some data points") })
        let message = try #require(record.metadata["error_message"])
        #expect(!message.contains("\n") && !message.contains("\r"), "a newline would start a forged line")
        #expect(!message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x2028 }, "escape sequences pass through")
        #expect(message.contains("\\n2026-12-07T00:00:00Z critical: forged line"), "the text is kept, escaped: \(message.prefix(120))")
        #expect(message.contains("\\u{1B}[31m"))
        #expect(message.hasPrefix("bad point"))
        #expect(message.utf8.count <= LogText.defaultLimit + 40, "\(message.utf8.count) bytes")
        #expect(message.hasSuffix("bytes in all)"), "the cut is said")
    }

    @Test("what a collector sends back reaches no log with control characters or unbounded length")
    func refusalBodiesAndProblemsAreEscaped() {
        let hostile = "x\n\u{1B}[2Jcritical: forged\r" + String(repeating: "B", count: 10_000)
        let excerpt = OTLPHTTPSender.excerpt(Array(hostile.utf8))
        #expect(!excerpt.contains("\n") && !excerpt.contains("\r") && !excerpt.unicodeScalars.contains { $0.value == 0x1B })
        #expect(excerpt.utf8.count < 260)
        #expect(excerpt.hasPrefix("x\\n\\u{1B}[2Jcritical"))
        let cut = OTLPHTTPSender.ResponseCutShort(status: 200, received: 10, announced: 100, underlying: "closed\nforged")
        #expect(!cut.describe(authority: "127.0.0.1:4318").contains("\n"))
    }
}

@Suite("Peer text in logs")
struct LogTextTests {
    @Test("control characters, line separators and backslashes are escaped; printable text is kept")
    func escapes() {
        #expect(LogText.escaped("a\nb\rc\td\u{1B}e\u{7F}f\u{85}g\u{2028}h\\i") == "a\\nb\\rc\\td\\u{1B}e\\u{7F}f\\u{85}g\\u{2028}h\\\\i")
        #expect(LogText.escaped("grüße, 東京") == "grüße, 東京")
    }

    @Test("text longer than the limit is cut at a character boundary and says how long it was")
    func truncates() {
        let long = String(repeating: "é", count: 600)  // 1,200 bytes
        let out = LogText.escaped(long, limit: 11)
        #expect(out == "ééééé…(cut; 1200 bytes in all)")
        #expect(LogText.escaped("short", limit: 11) == "short")
    }

    @Test("invalid UTF-8 from a peer becomes replacement characters, never a crash")
    func invalidUTF8() {
        #expect(LogText.escaped(bytes: [0x61, 0xFF, 0x62, 0x0A]) == "a\u{FFFD}b\\n")
    }
}
