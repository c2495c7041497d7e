import AgentTelemetry
import AgentTelemetryTesting
@testable import AgentTelemetryOTLP
import AgentTelemetryTestSupport
import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ServiceLifecycleTestKit
import Testing

/// "Telemetry never hurts its host": a collector that is down, slow to connect, rate-limiting,
/// redirecting or echoing secrets costs the host little time, few log lines and no secrets.
@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPHostSafetyTests {
    // Exports to the Python receiver get a 120 s timeout where the test is not about timeouts:
    // when the whole suite starts, dozens of Python peers start beside it and one answer was
    // seen to take more than the 10 s default.
    /// A loopback port nothing listens on (the receiver picked it, then stopped).
    /// A loopback port that refuses connections for as long as the returned socket is open: bound,
    /// never listening, so no other test can take it (a closed receiver's port could be reused by
    /// another test's listener, which then accepted the exporter's retries and held them).
    static func refusedPort() throws -> (port: Int, socket: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { close(fd); throw POSIXError(.EADDRINUSE) }
        return (Int(UInt16(bigEndian: address.sin_port)), fd)
    }

    static func registryWithOneCounter() throws -> MetricRegistry {
        let registry = MetricRegistry()
        try registry.counter("agent_llm_requests_total", help: "Requests.").series.increment()
        return registry
    }

    /// Parentheses open and close in order: no stray `)` as in NIO's IOError text.
    static func parenthesesBalance(_ text: String) -> Bool {
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    /// Runs one export and ends it (by cancellation) once `agent_telemetry_otlp_retries_total`
    /// reached `count`, or after 300 s. Whether it did: attempts that fail at once are retried
    /// within one export, an attempt that waits for the export timeout leaves the count at 0.
    static func retriesWhileExporting(_ exporter: OTLPExporter, registry: MetricRegistry, atLeast count: Int) async -> Bool {
        await cancelling({ _ = try? await exporter.forceFlush() }, once: {
            registry.sumOfSeries("agent_telemetry_otlp_retries_total") >= Double(count)
        }, timeout: .seconds(300), every: .milliseconds(20))
    }

    // MARK: Connecting

    @Test func aRefusedPortFailsEachAttemptAtOnceAndWarnsInWordsBeforeTheExportEnds() async throws {
        let (port, reserved) = try Self.refusedPort()
        defer { close(reserved) }
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        // The export timeout only bounds the test. Progress decides it: while one export is under
        // way, refused attempts are retried, so the retry count grows; an attempt that waited for
        // the timeout instead would leave it at 0. (A 20 s timeout with a before/after comparison
        // failed once in a fresh-clone run, when the whole suite held both cooperative threads.)
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: "http://127.0.0.1:\(port)", timeout: .seconds(600),
            initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(400), errorLogInterval: .seconds(3600)),
            logger: log.logger())
        let retried = await Self.retriesWhileExporting(exporter, registry: registry, atLeast: 2)
        #expect(retried, "a refused attempt was not retried while the export went on")

        let first = try #require(log.warnings.first)
        // Worded for a person: what failed and why, no NIO internals.
        #expect(first.line.contains("could not connect to 127.0.0.1:\(port): connection refused"), "\(first.line)")
        for record in log.records {
            #expect(!record.line.contains("errno") && !record.line.contains("error set") && !record.line.contains("NIO"), "\(record.line)")
            #expect(Self.parenthesesBalance(record.line), "\(record.line)")
        }
        // Rate-limited: one warning for the export's repeated failures (every attempt is at debug level).
        #expect(log.warnings.count == 1, "\(log.warnings.map(\.line))")
    }

    @Test func aCollectorThatNeverAcceptsCostsOneConnectTimeoutPerAttemptNotTheExportTimeout() async throws {
        let blackhole = try await OTLPReceiver(blackhole: true)
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        // The export timeout only bounds the test: an attempt must cost the 300 ms connect
        // timeout, so attempts are retried while the export goes on. Progress decides it, not a
        // clock: in loaded runs one 300 ms attempt was seen to end only after 4 s, then 12 s.
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: blackhole.endpoint, timeout: .seconds(600), connectTimeout: .milliseconds(300),
            initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(100), errorLogInterval: .seconds(3600)),
            logger: log.logger())
        let retried = await Self.retriesWhileExporting(exporter, registry: registry, atLeast: 2)
        #expect(retried, "an attempt used the whole export timeout")
        let first = try #require(log.warnings.first)
        #expect(first.line.contains("within 300ms (connect_timeout)"), "\(first.line)")
    }

    // MARK: Retry-After

    @Test func retryAfterOfAnHourStopsPeriodicExportsUntilItHasPassed() async throws {
        let receiver = try await OTLPReceiver(script: "429:retry-after=3600")
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        let clock = ManualClock()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, exportInterval: .seconds(1), timeout: .seconds(60)), logger: log.logger(),
            clock: clock.telemetryClock)
        var skipped = false
        try await testGracefulShutdown { trigger in
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await exporter.run() }
                // Twenty periodic exports on the manual clock while the collector's hour-long wait is pending.
                for _ in 0..<20 {
                    await clock.waitForSleepers()
                    clock.advance(by: .seconds(1))
                }
                await clock.waitForSleepers()  // the twentieth tick has run
                skipped = log.records.filter { $0.message.hasPrefix("OTLP export skipped") }.count >= 19
                #expect(receiver.records().count == 1, "exports went on during Retry-After")
                await #expect(throws: OTLPExportError.self) { try await exporter.forceFlush() }
                #expect(receiver.records().count == 1, "forceFlush sent during Retry-After")
                trigger.triggerGracefulShutdown()
            }
        }
        #expect(skipped, "periodic exports did not report skipping")
        let pause = try #require(log.warnings.first { $0.message.contains("Retry-After") })
        #expect(pause.message.contains("for 5m (capped by max_retry_after)"), "\(pause.line)")
        // The final export at shutdown still tries once: its data would otherwise be lost.
        #expect(receiver.records().map { $0["status"] as? Int } == [429, 200])
    }

    @Test func retryAfterIsCappedByMaxRetryAfterAndHonouredAcrossExports() async throws {
        let receiver = try await OTLPReceiver(script: "503:retry-after=3600")
        let registry = try Self.registryWithOneCounter()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, timeout: .seconds(20), maxRetryAfter: .seconds(25)))
        // 20 s: the Python receiver's first answer must fit in it on a loaded machine; the capped
        // Retry-After (25 s) is longer, so the export gives up instead of waiting.
        await #expect(throws: OTLPExportError.timedOut(lastProblem: "HTTP 503")) { try await exporter.forceFlush() }
        var waits = 0
        let delivered = await eventually(timeout: .seconds(120), every: .milliseconds(20)) {
            do {
                try await exporter.forceFlush()
                return true
            } catch let error as OTLPExportError {
                if case .waitingForRetryAfter = error { waits += 1 }
                return false
            } catch {
                return false
            }
        }
        #expect(delivered)
        #expect(waits >= 1)
        let records = receiver.records()
        #expect(records.map { $0["status"] as? Int } == [503, 200], "a request was sent during the wait")
        let gap = try #require(records.last?["time"] as? Double) - (try #require(records.first?["time"] as? Double))
        #expect(gap >= 24.9, "the next request came \(gap) s later; max_retry_after is 25 s")
    }

    // MARK: Repeated warnings

    @Test func partialSuccessOnEveryExportIsWarnedAboutOnceAndCountedEveryTime() async throws {
        let receiver = try await OTLPReceiver(script: Array(repeating: "200:partial=3", count: 6).joined(separator: ","))
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, timeout: .seconds(120), errorLogInterval: .seconds(3600)), logger: log.logger())
        // 120 s bounds each export: the Python receiver's answer must fit in it while the whole
        // suite loads the machine (the 10 s default was missed once in a fresh-clone run).
        for _ in 0..<6 { try await exporter.forceFlush() }
        #expect(log.warnings.filter { $0.message.contains("rejected some data points") }.count == 1)
        #expect(log.records.filter { $0.message.contains("rejected some data points") }.count == 6, "the others go to debug")
        #expect(registry.sumOfSeries("agent_telemetry_otlp_rejected_data_points_total") == 18)
    }

    @Test func aRepeatedWarningReportsHowManyWereSuppressed() async throws {
        let receiver = try await OTLPReceiver(script: Array(repeating: "200:partial=1", count: 2000).joined(separator: ","))
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, timeout: .seconds(120), errorLogInterval: .milliseconds(300)), logger: log.logger())
        var flushes = 0
        func partialWarnings() -> [LogCapture.Record] { log.warnings.filter { $0.message.contains("rejected some data points") } }
        while partialWarnings().count < 2 && flushes < 2000 {
            try await exporter.forceFlush()
            flushes += 1
        }
        let warnings = partialWarnings()
        try #require(warnings.count == 2)
        // Every export is accounted for: the first report, the suppressed ones, the second report.
        let suppressed = Int(warnings[1].metadata["suppressed"] ?? "0") ?? -1
        #expect(1 + suppressed + 1 == flushes)
        if suppressed > 0 { #expect(warnings[1].message.contains("(\(suppressed) similar since the last report")) }
    }

    @Test func theLimiterReportsTheFirstAtOnceThenOncePerIntervalWithTheCount() {
        let limiter = OTLPLogLimiter(interval: .seconds(10))
        let t0 = ContinuousClock.now
        #expect(limiter.admit(.partialSuccess, now: t0) == 0)
        #expect(limiter.admit(.partialSuccess, now: t0.advanced(by: .seconds(1))) == nil)
        #expect(limiter.admit(.partialSuccess, now: t0.advanced(by: .seconds(9))) == nil)
        #expect(limiter.admit(.delivery, now: t0.advanced(by: .seconds(9))) == 0, "kinds are limited apart")
        #expect(limiter.admit(.partialSuccess, now: t0.advanced(by: .seconds(10))) == 2)
        #expect(limiter.admit(.partialSuccess, now: t0.advanced(by: .seconds(11))) == nil)
    }

    // MARK: Secrets

    @Test func aRefusalNeverLogsTheURLQueryOrAHeaderValueTheCollectorEchoes() async throws {
        let receiver = try await OTLPReceiver(script: "401:echo=api-key")
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            metricsEndpoint: "\(receiver.endpoint)/v1/metrics?token=S3CRET-QUERY", headers: ["api-key": "S3CRET-KEY"], timeout: .seconds(120)),
            logger: log.logger())
        var thrown = ""
        do { try await exporter.forceFlush() } catch { thrown = "\(error)" }
        #expect(thrown.contains("HTTP 401"))
        #expect(receiver.records().first?["headers"].flatMap { ($0 as? [String: String])?["api-key"] } == "S3CRET-KEY")
        let refusal = try #require(log.records.first { $0.message.contains("refused an export") })
        #expect(refusal.level == .error)
        #expect(refusal.metadata["url"] == "\(receiver.endpoint)/v1/metrics?***")
        #expect(!log.text.contains("S3CRET"), "\(log.text)")
        #expect(!thrown.contains("S3CRET"), "\(thrown)")
    }

    @Test(arguments: [307, 308])
    func aRedirectToAnotherOriginIsNotFollowedAndIsLoggedOnceMasked(_ status: Int) async throws {
        let elsewhere = try await OTLPReceiver()
        let location = "http://127.0.0.1:\(elsewhere.port)/v1/metrics?token=S3CRET-QUERY"
        let receiver = try await OTLPReceiver(script: "\(status):location=\(location),\(status):location=\(location)")
        let log = LogCapture()
        let registry = try Self.registryWithOneCounter()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, headers: ["api-key": "S3CRET-KEY"], timeout: .seconds(120)), logger: log.logger())
        let masked = "http://127.0.0.1:\(elsewhere.port)/v1/metrics?***"
        for _ in 0..<2 {
            await #expect(throws: OTLPExportError.redirected(status: status, location: masked)) { try await exporter.forceFlush() }
        }
        // Following it would have posted the body and the api-key before the flush returned.
        #expect(elsewhere.records().isEmpty, "the redirect was followed")
        #expect(receiver.records().count == 2, "a redirect is not retried")
        let reports = log.records.filter { $0.message.contains("redirect") && $0.level >= .warning }
        #expect(reports.count == 1)
        #expect(reports.first?.metadata["location"] == masked)
        #expect(!log.text.contains("S3CRET"), "\(log.text)")
        #expect(registry.sumOfSeries("agent_telemetry_otlp_exports_total", matching: ["result": "failure"]) == 2)
    }

    // MARK: The HTTP client

    @Test func aCallersClientIsUsedAndLeftRunning() async throws {
        let receiver = try await OTLPReceiver()
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let registry = try Self.registryWithOneCounter()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(endpoint: receiver.endpoint, timeout: .seconds(120)),
                                    httpClient: client)
        try await testGracefulShutdown { trigger in
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await exporter.run() }
                trigger.triggerGracefulShutdown()
            }
        }
        // The exporter did not shut the caller's client down: it still sends, and the caller's
        // own shutdown succeeds (a second shutdown would throw alreadyShutdown).
        try await exporter.forceFlush()
        #expect(receiver.records().count == 2)
        try await client.shutdown()
    }

    @Test func runShutsItsOwnClientDownEvenWhenCancelled() async throws {
        let blackhole = try await OTLPReceiver(blackhole: true)
        let registry = try Self.registryWithOneCounter()
        let clock = ManualClock()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: blackhole.endpoint, exportInterval: .seconds(1), timeout: .seconds(30)), clock: clock.telemetryClock)
        // Cancelled while an export hangs in connect: run() still returns (after shutting its
        // client down, else the client's deinit would trap in a debug build).
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await exporter.run() }
            await clock.waitForSleepers()
            clock.advance(by: .seconds(1))
            _ = await eventually(timeout: .seconds(30), every: .milliseconds(10)) {
                registry.sumOfSeries("agent_telemetry_otlp_sent_bytes_total") > 0
            }
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
